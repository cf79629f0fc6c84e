package dev.paver.conversation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys a conversation file may hold, as {@code conversations/README.md} documents them: the top-level keys, the
 * step kinds and the keys of each, the expectation keys and the keys inside structured values. A key that is not
 * here fails the conversation before Paver starts, so that a misspelt expectation cannot be ignored and pass.
 *
 * <p>Only keys are checked, not values; a map whose keys are data (people, settings, {@code told: {U0SAM: ..}},
 * {@code file_contains: {path: ..}}, the fields of {@code submits}) is a {@link #FREE} value.
 */
final class ConversationFormat {

    /** The shape of a value: any value, or a map with these keys, or a list of such maps. */
    private sealed interface Shape permits Any, Keys, ListOf {
    }

    /** Any value; its keys, if it is a map, are data. */
    private record Any() implements Shape {
    }

    /** A map that may hold only these keys. */
    private record Keys(Map<String, Shape> keys) implements Shape {
    }

    /** A list of values of one shape. */
    private record ListOf(Shape element) implements Shape {
    }

    private static final Shape FREE = new Any();

    private static Keys keys(Object... pairs) {
        Map<String, Shape> keys = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i] instanceof String name && (i + 1 == pairs.length || pairs[i + 1] instanceof String)) {
                keys.put(name, FREE);
            } else {
                keys.put((String) pairs[i], (Shape) pairs[++i]);
            }
        }
        return new Keys(keys);
    }

    static final Keys TOP = keys("title", "description", "people", "channel", "cluster", "sealed_secrets", "slack_refuses",
            "namespaces", "settings", "git", "clusters", "steps", "backstage",
            "checks", new ListOf(keys("repository", "name", "kind", "conclusion", "after", "url")));

    private static final Keys FILES = keys("repository", "files", "file_contains", "lacks", "file_excludes");

    /** The expectation keys under {@code expect:}. */
    static final Keys EXPECT = keys(
            "card", keys("contains", "cards"),
            "thread", "thread_excludes", "replies_unique", "replies_in_card_thread", "no_card", "told_privately",
            "direct_messages",
            "pull_request", FILES,
            "main", FILES,
            "no_branches_in", "no_repository", "told", "messages_in", "no_messages_in", "home",
            "role_bindings", keys("namespace", "cluster", "count", "contain"),
            "paver_branches", "never_shown",
            "unseals", keys("repository", "file", "key", "to", "cluster"),
            "application", keys("name", "operation_contains", "annotations_contain"));

    private static final Keys COMPOSED = keys("kind", "apiVersion", "resource", "name", "ready", "reason", "message", "error",
            "conditions", new ListOf(keys("type", "status", "reason", "message")), "plural");

    /** Each step kind: the key that names it, and every key a step of that kind may hold. */
    static final Map<String, Keys> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("types", keys("user", "types", "paver_answers", "signature", "status"));
        STEPS.put("modal_opens", keys("modal_opens", keys("title", "fields", "prefilled", "options", "suggests")));
        STEPS.put("submits", keys("user", "submits", "modal_errors"));
        STEPS.put("clicks", keys("user", "clicks", "in", "stale", "status"));
        STEPS.put("chooses", keys("user", "chooses", "typed"));
        STEPS.put("at_once", keys("at_once", new ListOf(keys("user", "clicks", "in"))));
        STEPS.put("opens_home", keys("opens_home"));
        STEPS.put("merges", keys("user", "merges", keys("repository", "branch")));
        STEPS.put("pushes", keys("user", "pushes", keys("repository", "file", "branch", "content", "replace", keys("from", "to"))));
        STEPS.put("forbids", keys("forbids"));
        STEPS.put("argocd", keys("argocd", keys("application", "sync", "health", "phase", "revision", "message", "repository")));
        STEPS.put("crossplane", keys("crossplane", keys("cluster", "claim", "namespace", "kind", "apiVersion", "v2", "ready", "reason",
                "message", "error", "connectionSecret", "deleted", "plural", "composed", new ListOf(COMPOSED))));
        STEPS.put("passes", keys("passes"));
        STEPS.put("time_passes", keys("time_passes"));
        STEPS.put("restart", keys("restart"));
        STEPS.put("platform_creates_repository", keys("user", "platform_creates_repository"));
        STEPS.put("reruns", keys("user", "reruns", keys("repository", "check", "conclusion")));
        STEPS.put("expect", keys("expect", EXPECT));
    }

    private ConversationFormat() {
    }

    /**
     * Checks every key of a conversation file.
     *
     * @param file the file, for messages
     * @param doc  the file as read (a map)
     * @throws IllegalArgumentException naming the file, the step number (from 1), where the key is, the key and the
     *                                  keys known there, at the first unknown key or a step that is not exactly one kind
     */
    @SuppressWarnings("unchecked")
    static void check(String file, Map<String, Object> doc) {
        checkKeys(file + ": top level", doc, TOP);
        Object steps = doc.get("steps");
        if (!(steps instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(file + ": a conversation needs a non-empty list of steps");
        }
        int number = 0;
        for (Object step : list) {
            number++;
            String where = file + " step " + number;
            if (!(step instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException(where + ": a step is a map, not " + step);
            }
            List<String> kinds = map.keySet().stream().map(String::valueOf).filter(STEPS::containsKey).toList();
            if (kinds.size() != 1) {
                throw new IllegalArgumentException(where + ": " + (kinds.isEmpty() ? "unknown step kind " + map.keySet()
                        : "one step holds several kinds " + kinds) + "; a step is exactly one of " + STEPS.keySet()
                        + " (see conversations/README.md)");
            }
            checkKeys(where + " (" + kinds.get(0) + ")", (Map<String, Object>) map, STEPS.get(kinds.get(0)));
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkKeys(String where, Map<String, Object> map, Keys shape) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            Shape inner = shape.keys().get(String.valueOf(e.getKey()));
            if (inner == null) {
                throw new IllegalArgumentException(where + ": unknown key '" + e.getKey() + "'; known keys there: "
                        + String.join(", ", shape.keys().keySet()) + " (see conversations/README.md)");
            }
            check(where + " " + e.getKey(), e.getValue(), inner);
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(String where, Object value, Shape shape) {
        if (shape instanceof Keys keys) {
            if (!(value instanceof Map<?, ?>)) {
                throw new IllegalArgumentException(where + ": expected a map with keys " + keys.keys().keySet() + ", not " + value);
            }
            checkKeys(where, (Map<String, Object>) value, keys);
        } else if (shape instanceof ListOf listOf) {
            if (!(value instanceof List<?> list)) {
                throw new IllegalArgumentException(where + ": expected a list, not " + value);
            }
            int i = 0;
            for (Object element : list) {
                check(where + "[" + i++ + "]", element, listOf.element());
            }
        }
    }
}
