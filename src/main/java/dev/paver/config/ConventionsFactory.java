package dev.paver.config;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.RequiredLabels;
import dev.paver.core.convention.ResourceProfile;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link Conventions} from {@code paver.conventions.*}, falling back to the documented defaults field by field. */
final class ConventionsFactory {

    private ConventionsFactory() {
    }

    static Conventions from(PaverProperties.ConventionsConfig config) {
        Conventions defaults = Conventions.defaults();
        if (config == null) {
            return defaults;
        }
        Map<String, ResourceProfile> profiles = defaults.profiles();
        if (config.profiles() != null && !config.profiles().isEmpty()) {
            profiles = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, String>> e : config.profiles().entrySet()) {
                Map<String, String> p = e.getValue();
                profiles.put(e.getKey(), new ResourceProfile(e.getKey(), require(p, e.getKey(), "requests-cpu"),
                        require(p, e.getKey(), "requests-memory"), require(p, e.getKey(), "limits-cpu"),
                        require(p, e.getKey(), "limits-memory")));
            }
        }
        return new Conventions(
                config.environments() == null || config.environments().isEmpty() ? defaults.environments() : config.environments(),
                config.automatedSync() == null ? defaults.automatedSyncEnvironments() : config.automatedSync(),
                profiles, RequiredLabels.defaults(),
                config.gitopsRepositorySuffix() == null ? defaults.gitopsRepositorySuffix() : config.gitopsRepositorySuffix(),
                config.imageRegistry() == null ? defaults.imageRegistry() : config.imageRegistry(),
                defaults.resourceKinds());
    }

    private static String require(Map<String, String> profile, String name, String key) {
        String value = profile.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("paver.conventions.profiles." + name + "." + key + " is required");
        }
        return value;
    }
}
