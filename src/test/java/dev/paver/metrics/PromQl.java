package dev.paver.metrics;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, for tests that check them against a scrape: what is left of the
 * expression without strings, label matchers, ranges, grouping clauses, function calls, keywords and numbers
 * (PromQL's grammar: prometheus.io/docs/prometheus/latest/querying/basics). Grafana's {@code label_values(metric,
 * label)} reads {@code metric}.
 */
final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(\\\\.|[^\"\\\\])*\"|'(\\\\.|[^'\\\\])*'");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*(\\{\\})?\\s*,[^)]*\\)");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![A-Za-z0-9_:.$])[A-Za-z_:][A-Za-z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "Inf", "NaN");

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String e = STRING.matcher(expression).replaceAll("\"\"");
        e = e.replaceAll("\\{[^}]*\\}", "{}");
        e = e.replaceAll("\\[[^]]*\\]", "");
        e = LABEL_VALUES.matcher(e).replaceAll("$1");
        e = GROUPING.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(e);
        while (m.find()) {
            String rest = e.substring(m.end()).stripLeading();
            if (!rest.startsWith("(") && !KEYWORDS.contains(m.group())) {
                names.add(m.group());
            }
        }
        return names;
    }
}
