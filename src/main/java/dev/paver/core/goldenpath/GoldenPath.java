package dev.paver.core.goldenpath;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A golden path: one sub-folder of {@code templates/} with a Backstage Template ({@code template.yaml}) and the
 * files it renders. The id is the slash sub-command and the modal's {@code callback_id}.
 *
 * @param id          {@code metadata.name}, whatever the folder is called (see {@link GoldenPathCatalog})
 * @param title       {@code metadata.title}, or the id when it has none
 * @param description {@code metadata.description}
 * @param parameters  {@code spec.parameters}
 * @param steps       {@code spec.steps}
 * @param output      {@code spec.output} ({@code links}, {@code text}), unrendered
 * @param examples    the {@code parameters} of each {@code spec.examples} entry, values as text (a list joined with
 *                    commas)
 * @param folder      the template folder; {@code fetch:template} URLs resolve against it
 */
public record GoldenPath(String id, String title, String description, ParameterSchema parameters,
                         List<StepSpec> steps, Map<String, Object> output, List<Map<String, String>> examples, Path folder) {
    public GoldenPath {
        title = title == null || title.isBlank() ? id : title;
        description = description == null ? "" : description;
        steps = List.copyOf(steps);
        examples = List.copyOf(examples);
        output = output == null ? Map.of() : output;
    }

    /** The step with this id, or null. */
    public StepSpec step(String stepId) {
        return steps.stream().filter(s -> s.id().equals(stepId)).findFirst().orElse(null);
    }

    /**
     * {@code /platform <id> <positional> --flag <flag> ...}: the usage line built from the parameters; plain secret values
     * ({@link SecretParameters#isPlain}) are left out, since they may only be given in the modal.
     */
    public String usage(String command) {
        StringBuilder out = new StringBuilder(command).append(' ').append(id);
        Parameter positional = parameters.positional();
        if (positional != null) {
            out.append(" <").append(positional.name()).append('>');
        }
        for (Parameter p : parameters.parameters()) {
            if (p == positional || SecretParameters.isPlain(p) || ParameterSchema.isChoice(p)) {
                continue; // a plain secret is given in the modal only, never typed; a oneOf's choice follows from the flags
            }
            String value = p.enumValues().isEmpty() ? "<" + p.name() + ">" : String.join("|", p.enumValues());
            String flag = "--" + p.name() + " " + value;
            out.append(' ').append(p.required() && p.defaultValue() == null ? flag : "[" + flag + "]");
        }
        if (steps.stream().anyMatch(s -> s.action().equals("paver:preview"))) {
            out.append(" [--dry-run]");
        }
        return out.toString();
    }
}
