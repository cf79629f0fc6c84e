package dev.paver.core.goldenpath;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.DefaultFilter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The template filters Backstage's Scaffolder adds to Nunjucks ({@code createDefaultFilters} of
 * {@code @backstage/plugin-scaffolder-backend}, "Builtin filters" on backstage.io): {@code parseRepoUrl},
 * {@code parseEntityRef}, {@code pick} and {@code projectSlug}, with Backstage's results and errors; and Nunjucks'
 * {@code default}, which also replaces an undefined value ({@link TemplateRenderer#UNDEFINED}). A filter's error is a
 * {@link TemplateRenderer.TemplateException} naming the filter and the value.
 */
final class BackstageFilters {

    private static final List<String> REPO_URL_KEYS = List.of("owner", "repo", "organization", "workspace", "project");

    private BackstageFilters() {
    }

    /** The filters, to register on a Jinjava instance. */
    static List<AdvancedFilter> all() {
        return List.of(new Named("parseRepoUrl", (value, args, kwargs) -> parseRepoUrl(value)),
                new Named("parseEntityRef", (value, args, kwargs) -> parseEntityRef(value,
                        args != null && args.length > 0 ? args[0] : kwargs == null || kwargs.isEmpty() ? null : kwargs)),
                new Named("pick", (value, args, kwargs) -> {
                    if (args == null || args.length == 0) {
                        throw new TemplateRenderer.TemplateException("pick: name the property, e.g. pick('owner')");
                    }
                    return pick(value, args[0]);
                }),
                new Named("projectSlug", (value, args, kwargs) -> projectSlug(value)),
                new UndefinedDefault());
    }

    /**
     * Backstage's {@code parseRepoUrl} ({@code parseRepoUrl} of {@code @backstage/plugin-scaffolder-node}): the
     * RepoUrlPicker's value {@code host?owner=o&repo=r} as {@code {host, owner, repo, organization, workspace,
     * project}}; the query values decoded and trimmed of {@code /}; the keys not given are undefined (left out of
     * JSON, as Backstage's are). {@code repo} is required, and {@code owner} unless {@code project} is given (Backstage
     * asks that per host type from its integrations; Paver has none, so it accepts GitHub's and the project-based
     * forms of GitLab, Bitbucket and Azure DevOps alike).
     *
     * @throws TemplateRenderer.TemplateException when the value is not such a URL or lacks {@code repo} or {@code owner}
     */
    static Map<String, Object> parseRepoUrl(Object value) {
        if (!(value instanceof String url) || url.isBlank()) {
            throw new TemplateRenderer.TemplateException("parseRepoUrl: expected a repository URL such as "
                    + "github.com?owner=acme&repo=payments, got " + describe(value));
        }
        URI uri;
        try {
            uri = new URI("https://" + url.strip());
        } catch (URISyntaxException e) {
            throw new TemplateRenderer.TemplateException("parseRepoUrl: " + url + " is not a repository URL such as "
                    + "github.com?owner=acme&repo=payments (" + e.getReason() + ")");
        }
        if (uri.getHost() == null) {
            throw new TemplateRenderer.TemplateException("parseRepoUrl: " + url + " has no host; expected a repository "
                    + "URL such as github.com?owner=acme&repo=payments");
        }
        Map<String, String> query = new LinkedHashMap<>();
        String raw = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String val = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            query.putIfAbsent(key, val); // URLSearchParams.get: the first
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("host", uri.getHost().toLowerCase(Locale.ROOT) + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
        for (String key : REPO_URL_KEYS) {
            String v = query.get(key);
            out.put(key, v == null ? TemplateRenderer.UNDEFINED : trimSlashes(v));
        }
        for (String required : query.containsKey("project") ? List.of("repo") : List.of("repo", "owner")) {
            if (query.get(required) == null || query.get(required).isEmpty()) {
                throw new TemplateRenderer.TemplateException("parseRepoUrl: invalid repository URL " + url + ", missing "
                        + required + " (expected host?owner=...&repo=...)");
            }
        }
        return out;
    }

    private static String trimSlashes(String value) {
        int from = 0;
        int to = value.length();
        while (from < to && value.charAt(from) == '/') {
            from++;
        }
        while (to > from && value.charAt(to - 1) == '/') {
            to--;
        }
        return value.substring(from, to);
    }

    /**
     * Backstage's {@code parseEntityRef} ({@code parseEntityRef} of {@code @backstage/catalog-model}):
     * {@code [kind:][namespace/]name}, or a map of {@code kind}, {@code namespace} and {@code name}, as
     * {@code {kind, namespace, name}}; the namespace defaults to {@code defaultNamespace} or {@code default}, the
     * kind to {@code defaultKind}. Case is kept.
     *
     * @param context null, or a map with {@code defaultKind} and {@code defaultNamespace}
     * @throws TemplateRenderer.TemplateException when the reference is empty, malformed, or has no kind
     */
    static Map<String, Object> parseEntityRef(Object ref, Object context) {
        if (ref == null || TemplateRenderer.isUndefined(ref) || ref instanceof String s && s.isEmpty()) {
            throw new TemplateRenderer.TemplateException("parseEntityRef: the entity reference must not be empty");
        }
        Map<?, ?> defaults = context instanceof Map<?, ?> m ? m : Map.of();
        String defaultKind = text(defaults.get("defaultKind"));
        String defaultNamespace = text(defaults.get("defaultNamespace"));
        if (defaultNamespace == null || defaultNamespace.isEmpty()) {
            defaultNamespace = "default";
        }
        String kind;
        String namespace;
        String name;
        if (ref instanceof Map<?, ?> compound) {
            kind = text(compound.get("kind"));
            namespace = text(compound.get("namespace"));
            name = text(compound.get("name"));
        } else {
            String s = String.valueOf(ref);
            int colon = s.indexOf(':');
            int slash = s.indexOf('/');
            if (slash != -1 && slash < colon) {
                colon = -1;
            }
            kind = colon == -1 ? null : s.substring(0, colon);
            namespace = slash == -1 ? null : s.substring(colon + 1, slash);
            name = s.substring(Math.max(colon + 1, slash + 1));
            if ("".equals(kind) || "".equals(namespace) || name.isEmpty()) {
                throw new TemplateRenderer.TemplateException("parseEntityRef: entity reference \"" + s
                        + "\" was not on the form [<kind>:][<namespace>/]<name>");
            }
        }
        kind = kind == null ? defaultKind : kind;
        namespace = namespace == null ? defaultNamespace : namespace;
        if (kind == null || kind.isEmpty()) {
            throw new TemplateRenderer.TemplateException("parseEntityRef: entity reference " + describe(ref)
                    + " had missing or empty kind (e.g. did not start with \"component:\"); give it a kind or "
                    + "parseEntityRef({ defaultKind: 'group' })");
        }
        if (name == null || name.isEmpty()) {
            throw new TemplateRenderer.TemplateException("parseEntityRef: entity reference " + describe(ref)
                    + " had missing or empty name");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", kind);
        out.put("namespace", namespace);
        out.put("name", name);
        return out;
    }

    /**
     * Backstage's {@code pick} (lodash {@code get}): the property at {@code path} ({@code a.b}, {@code a[0].b}) of a map
     * or list; undefined when there is none.
     */
    static Object pick(Object value, Object path) {
        Object current = value;
        for (String key : pathKeys(String.valueOf(path))) {
            if (current instanceof Map<?, ?> map && map.containsKey(key)) {
                current = map.get(key);
            } else if (current instanceof List<?> list && key.matches("\\d{1,9}") && Integer.parseInt(key) < list.size()) {
                current = list.get(Integer.parseInt(key));
            } else {
                return TemplateRenderer.UNDEFINED;
            }
        }
        return current == null ? TemplateRenderer.UNDEFINED : current;
    }

    private static List<String> pathKeys(String path) {
        List<String> keys = new ArrayList<>();
        for (String part : path.replace("[", ".").replace("]", "").split("\\.")) {
            if (!part.isEmpty()) {
                keys.add(part.length() > 1 && (part.startsWith("'") && part.endsWith("'")
                        || part.startsWith("\"") && part.endsWith("\"")) ? part.substring(1, part.length() - 1) : part);
            }
        }
        return keys;
    }

    /** Backstage's {@code projectSlug}: {@code owner/repo} of a repository URL, as {@link #parseRepoUrl} reads it. */
    static String projectSlug(Object value) {
        Map<String, Object> repo = parseRepoUrl(value);
        Object owner = repo.get("owner");
        // JavaScript's template string writes an owner that is not given as "undefined"
        return (TemplateRenderer.isUndefined(owner) ? "undefined" : owner) + "/" + repo.get("repo");
    }

    private static String text(Object value) {
        return value == null || TemplateRenderer.isUndefined(value) ? null : String.valueOf(value);
    }

    private static String describe(Object value) {
        return value == null || TemplateRenderer.isUndefined(value) ? "nothing (undefined)"
                : value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    /** What a filter does with the value piped into it and its arguments (positional, then by name). */
    private interface Body {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    /** A filter of Backstage's by its name: the value and arguments handed to {@code body}. */
    private record Named(String name, Body body) implements AdvancedFilter {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return body.apply(var, args, kwargs);
        }
    }

    /** Jinjava's {@code default}, for which an undefined value is missing, as in Nunjucks. */
    private static final class UndefinedDefault implements AdvancedFilter {
        private final DefaultFilter jinjava = new DefaultFilter();

        @Override
        public String getName() {
            return jinjava.getName();
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            return jinjava.filter(TemplateRenderer.isUndefined(var) ? null : var, interpreter, args, kwargs);
        }
    }
}
