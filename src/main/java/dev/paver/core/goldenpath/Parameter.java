package dev.paver.core.goldenpath;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One template parameter, read from a {@code spec.parameters} page's {@code properties} (JSON Schema).
 *
 * @param name         the property name; also the slash command flag ({@code --name}) and the modal block id
 * @param title        the label shown in the modal
 * @param description  help text, may be empty
 * @param type         JSON Schema type: {@code string}, {@code integer}, {@code boolean}, {@code array}
 * @param enumValues   allowed values, empty when free text
 * @param defaultValue the default as text, or null
 * @param required     listed in its page's {@code required}
 * @param maxLength    JSON Schema {@code maxLength}, or null
 * @param uiField      Backstage {@code ui:field} ({@code SystemPicker}, {@code OwnerPicker}, {@code DomainPicker},
 *                     {@code GroupPicker}) or null
 * @param convention   Paver's {@code paver:convention}: which platform rule the value obeys
 *                     ({@code domain}, {@code service}, {@code system}, {@code owner}, {@code environment},
 *                     {@code profile}, ...; {@code secret-value}, {@code sealed-value}, {@code secret-key} and
 *                     {@code secret-scope}: see {@link SecretParameters}), or null
 * @param uiWidget     Backstage's {@code ui:widget} (react-jsonschema-form's widgets): {@code textarea}, {@code radio},
 *                     {@code checkboxes}, {@code select} and {@code hidden} change the modal (see
 *                     {@link #WIDGETS}); any other is shown as the type's usual input; null when none
 * @param enumNames    the labels of {@code enumValues}, in the same order (react-jsonschema-form's {@code enumNames},
 *                     which Backstage's form shows); empty when the values are their own labels
 * @param uiOptions    Backstage's {@code ui:options} of the field (e.g. an {@code EntityPicker}'s {@code catalogFilter},
 *                     see {@link EntityPickers}); empty when none
 */
public record Parameter(String name, String title, String description, String type, List<String> enumValues,
                        String defaultValue, boolean required, Integer maxLength, String uiField, String convention,
                        String uiWidget, List<String> enumNames, Map<String, Object> uiOptions) {

    /** The {@code ui:widget} values that change Paver's modal; {@code password} is refused by the template check. */
    public static final List<String> WIDGETS = List.of("textarea", "radio", "checkboxes", "select", "hidden");

    public Parameter {
        enumValues = List.copyOf(enumValues);
        enumNames = enumNames == null || enumNames.size() != enumValues.size() ? List.of() : List.copyOf(enumNames);
        description = description == null ? "" : description.strip();
        title = title == null || title.isBlank() ? name : title;
        uiOptions = uiOptions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(uiOptions));
    }

    /** A parameter without {@code ui:options}. */
    public Parameter(String name, String title, String description, String type, List<String> enumValues,
                     String defaultValue, boolean required, Integer maxLength, String uiField, String convention,
                     String uiWidget, List<String> enumNames) {
        this(name, title, description, type, enumValues, defaultValue, required, maxLength, uiField, convention, uiWidget,
                enumNames, Map.of());
    }

    /** The label of one of the parameter's values: its {@code enumNames} entry, else the value itself. */
    public String label(String value) {
        int at = enumValues.indexOf(value);
        return at >= 0 && !enumNames.isEmpty() ? enumNames.get(at) : value;
    }

    /** True when the modal should offer known values (systems, groups) instead of free text. */
    public boolean picksFromCatalog() {
        return "SystemPicker".equals(uiField) || "OwnerPicker".equals(uiField) || "DomainPicker".equals(uiField)
                || "GroupPicker".equals(uiField);
    }
}
