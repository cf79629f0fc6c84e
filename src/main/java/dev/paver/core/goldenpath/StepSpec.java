package dev.paver.core.goldenpath;

import java.util.Map;

/**
 * One entry of a Template's {@code spec.steps}: {@code id}, {@code name}, {@code action}, {@code input}, an
 * optional {@code if} expression and an optional {@code each} expression (a list: the action runs once per
 * item, with {@code each.value} and {@code each.key} in scope), as in Backstage Scaffolder v1beta3.
 */
public record StepSpec(String id, String name, String action, Map<String, Object> input, Object condition, Object each) {
    public StepSpec {
        input = input == null ? Map.of() : input;
        name = name == null || name.isBlank() ? id : name;
    }
}
