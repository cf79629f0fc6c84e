package dev.paver.core.convention;

import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/** Name syntax shared by every rule: DNS-1123 labels (Kubernetes' {@code IsDNS1123Label}) and safe quoting. */
public final class Names {

    /** {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters: Kubernetes' DNS-1123 label. */
    public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Names() {
    }

    /** True when {@code value} is a non-null DNS-1123 label of at most 63 characters. */
    public static boolean isDnsLabel(String value) {
        return value != null && value.length() <= 63 && DNS_LABEL.matcher(value).matches();
    }

    /**
     * True when YAML would read the plain scalar {@code value} as something other than a string: a boolean
     * ({@code true}, {@code yes}, {@code on}, {@code y}...), a number ({@code 1234}, {@code 0x10}, {@code 1e3}) or
     * null. Kubernetes' YAML reader (YAML 1.1 rules) does, so such a name breaks a manifest where it is not quoted.
     */
    public static boolean isNotAYamlString(String value) {
        if (value == null) {
            return false;
        }
        if (YAML_1_1_SHORT_BOOLEANS.contains(value)) {
            return true;
        }
        return !Tag.STR.equals(RESOLVER.resolve(NodeId.scalar, value, true));
    }

    private static final Resolver RESOLVER = new Resolver();
    private static final Set<String> YAML_1_1_SHORT_BOOLEANS = Set.of("y", "Y", "n", "N");

    /**
     * A user value made safe to show in a message: in single quotes, control characters escaped,
     * cut to 60 characters. Never use it for a secret.
     */
    public static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < value.length() && shown < 60; i++, shown++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '`' -> out.append('\u02cb');
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (value.length() > 60) {
            out.append('\u2026');
        }
        return out.append('\'').toString();
    }
}
