package dev.paver.config;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.RequiredLabels;
import dev.paver.core.convention.ResourceKinds;
import dev.paver.core.convention.ResourceProfile;
import dev.paver.core.goldenpath.PlatformValues;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

/** Builds {@link Conventions} from {@code paver.conventions.*}, falling back to the documented defaults field by field. */
public final class ConventionsFactory {

    private ConventionsFactory() {
    }

    /**
     * The conventions of a Paver configuration file, as the server reads them: its {@code paver.conventions.*} keys
     * (YAML, e.g. the server's {@code application.yml}, or {@code .properties}), without starting Spring. Keys the
     * file does not set keep their defaults; other keys are ignored.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or parsed, or a setting is invalid
     *         (the message says which)
     */
    public static Conventions fromFile(Path file) {
        PaverProperties.ConventionsConfig config = configFromFile(file);
        try {
            return from(config);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
        }
    }

    /**
     * The {@code paver.conventions.*} keys of a Paver configuration file, unset keys null (see {@link #fromFile}).
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or parsed
     */
    public static PaverProperties.ConventionsConfig configFromFile(Path file) {
        return bindFromFile(file, "paver.conventions", PaverProperties.ConventionsConfig.class);
    }

    /**
     * The platform lists a template's {@code paver:enum} draws from, as the server reads them from a Paver configuration
     * file: its {@code paver.conventions.*} and {@code paver.access.roles.*} keys, unset keys by default.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or parsed, or a setting is invalid
     */
    public static PlatformValues platformValuesFromFile(Path file) {
        Conventions conventions = fromFile(file);
        PaverProperties.Access access = bindFromFile(file, "paver.access", PaverProperties.Access.class);
        try {
            return PlatformValues.of(conventions, access == null ? AccessPolicy.defaults() : PolicyFactory.access(access));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static <T> T bindFromFile(Path file, String prefix, Class<T> type) {
        String name = file.getFileName().toString();
        PropertySourceLoader loader = name.endsWith(".properties")
                ? new PropertiesPropertySourceLoader()
                : new YamlPropertySourceLoader();
        try {
            var sources = loader.load(name, new FileSystemResource(file));
            var binder = new Binder(
                    ConfigurationPropertySources.from(sources));
            return binder.bind(prefix, type).orElse(null);
        } catch (IOException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
        }
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
                resourceKinds(defaults.resourceKinds(), config.resources()));
    }

    /**
     * The default resource kinds with {@code paver.conventions.resources.<type>.*} applied: a known type keeps the
     * fields not given ({@code mode: xr} alone also moves its apiVersion from the claim group to the XR group of
     * {@code deploy/crossplane/xrds-v2.yaml}); a new type needs {@code api-version}, {@code kind} and {@code segment}.
     *
     * @throws IllegalStateException naming the key when a mode is neither claim nor xr, a new type lacks a field, or a
     *         key is unknown
     */
    static ResourceKinds resourceKinds(ResourceKinds defaults, Map<String, Map<String, String>> configured) {
        if (configured == null || configured.isEmpty()) {
            return defaults;
        }
        Map<String, ResourceKinds.ResourceKind> kinds = new LinkedHashMap<>(defaults.kinds());
        for (Map.Entry<String, Map<String, String>> e : configured.entrySet()) {
            String type = e.getKey();
            String prefix = "paver.conventions.resources." + type + ".";
            Map<String, String> given = e.getValue() == null ? Map.of() : e.getValue();
            for (String key : given.keySet()) {
                if (!Set.of("mode", "api-version", "kind", "segment").contains(key)) {
                    throw new IllegalStateException(prefix + key + " is not a setting; use mode, api-version, kind or segment");
                }
            }
            ResourceKinds.ResourceKind base = kinds.get(type);
            ResourceKinds.Mode mode = given.containsKey("mode") ? mode(prefix, given.get("mode"))
                    : base == null ? ResourceKinds.Mode.CLAIM : base.mode();
            String apiVersion = given.get("api-version");
            if (apiVersion == null && base != null) {
                apiVersion = mode == base.mode() ? base.apiVersion()
                        : mode == ResourceKinds.Mode.XR ? ResourceKinds.XR_API_VERSION : ResourceKinds.CLAIM_API_VERSION;
            }
            String kind = given.getOrDefault("kind", base == null ? null : base.kind());
            String segment = given.getOrDefault("segment", base == null ? null : base.segment());
            newTypeField(prefix, "api-version", apiVersion, type);
            newTypeField(prefix, "kind", kind, type);
            newTypeField(prefix, "segment", segment, type);
            kinds.put(type, new ResourceKinds.ResourceKind(type, segment, apiVersion, kind, mode));
        }
        try {
            return new ResourceKinds(kinds);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalStateException("paver.conventions.resources: " + invalid.getMessage(), invalid);
        }
    }

    private static void newTypeField(String prefix, String key, String value, String type) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(prefix + key + " is required for the new resource type " + type);
        }
    }

    private static ResourceKinds.Mode mode(String prefix, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "claim" -> ResourceKinds.Mode.CLAIM;
            case "xr" -> ResourceKinds.Mode.XR;
            default -> throw new IllegalStateException(prefix + "mode is " + value
                    + "; use claim (Crossplane v1 claim) or xr (Crossplane v2 namespaced composite resource)");
        };
    }

    private static String require(Map<String, String> profile, String name, String key) {
        String value = profile.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("paver.conventions.profiles." + name + "." + key + " is required");
        }
        return value;
    }
}
