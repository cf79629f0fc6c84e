package dev.paver.slack;

import static com.slack.api.model.block.Blocks.actions;
import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.option;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.staticSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.slack.api.app_backend.interactive_components.response.Option;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.BlockElements;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import dev.paver.core.approval.Approvals;
import dev.paver.core.goldenpath.EntityPickers;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.Parameter;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.SecretParameters;
import dev.paver.core.run.Intake;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a golden path's modal from its parameter schema (api.slack.com/surfaces/modals): one input block per
 * parameter, block id = parameter name, action id {@value #ACTION_ID}; enums and catalog pickers
 * ({@code SystemPicker}, {@code OwnerPicker}) become static selects, with their {@code enumNames} as labels; Backstage's
 * {@code EntityPicker} and {@code OwnerPicker} offer entity refs ({@link EntityPickers}), searched as one types when
 * they take entities they do not list ({@code allowArbitraryValues});
 * Backstage's {@code ui:widget} chooses the element where Slack has one ({@code textarea}: a multi-line input;
 * {@code radio}: radio buttons, {@code checkboxes}: checkboxes, each for at most {@value #MAX_BUTTONS} choices;
 * {@code hidden}: no block, the default runs); a {@code RepoUrlPicker} is a text input for {@code owner/repository}
 * (see {@code ParameterSchema.repoUrl}); a parameter others depend on ({@code dependencies}), and the choice of a
 * page's top-level {@code oneOf} (a select of its choices' titles, {@code ParameterSchema.CHOICE}), dispatches its
 * choice at once, and the modal is rebuilt with what that value calls for ({@code views.update}); defaults and typed values
 * prefill it. The
 * modal's {@code callback_id} is the golden path id and its {@code private_metadata} the channel to report in. A plain
 * secret value ({@code paver:convention: secret-value}) is a plain text input like the others (Slack has no masked
 * input; its hint says what becomes of it) and is never prefilled.
 */
public final class ModalFactory {

    /** The action id of every input element. */
    public static final String ACTION_ID = "value";

    private ModalFactory() {
    }

    /**
     * @param path    the golden path
     * @param catalog known systems and groups
     * @param given   values typed so far, by parameter name
     * @param channel the channel id where the command was typed
     */
    public static View modal(GoldenPath path, PlatformCatalog catalog, Map<String, String> typed, String channel) {
        // the values typed for later pages go along with the form, to prefill their pages, when Slack can keep them
        Form form = new Form(channel, 0, path.parameters().pageCount() > 1 ? typed : Map.of());
        return page(path, catalog, typed, form.fits() ? form : new Form(channel, 0, Map.of()));
    }

    /**
     * Where a golden path's modal is, carried in its {@code private_metadata}: the channel to report in, the page shown
     * (from 0) of a template whose {@code spec.parameters} is a list of pages, and the values of the pages before (and
     * of what a command typed for later pages). Slack keeps at most {@value #MAX_METADATA} characters there ("View
     * object", Slack's reference); {@link #fits()} says whether this form does. A one-page form's metadata is the
     * channel id alone.
     *
     * @param channel the channel id where the command was typed
     * @param page    the page shown, from 0
     * @param values  the values of the other pages, by parameter name; never a plain secret's
     *                ({@code ParameterSchema.problems} keeps a secret value on the last page)
     */
    public record Form(String channel, int page, Map<String, String> values) {

        /** The most characters of a view's {@code private_metadata}. */
        public static final int MAX_METADATA = 3000;

        private static final ObjectMapper JSON = new ObjectMapper();

        public Form {
            values = Map.copyOf(values);
        }

        /** What goes into {@code private_metadata}: the channel alone for the first page without values, else JSON. */
        public String metadata() {
            if (page == 0 && values.isEmpty()) {
                return channel;
            }
            var node = JSON.createObjectNode().put("channel", channel).put("page", page);
            var v = node.putObject("values");
            new java.util.TreeMap<>(values).forEach(v::put);
            return node.toString();
        }

        /** Whether {@link #metadata()} fits in what Slack keeps. */
        public boolean fits() {
            return metadata().length() <= MAX_METADATA;
        }

        /** The form a view's {@code private_metadata} describes (a bare channel id: the first page, no values). */
        public static Form read(String metadata) {
            String text = metadata == null ? "" : metadata;
            if (!text.startsWith("{")) {
                return new Form(text, 0, Map.of());
            }
            try {
                var node = JSON.readTree(text);
                Map<String, String> values = new LinkedHashMap<>();
                node.path("values").fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
                return new Form(node.path("channel").asText(""), node.path("page").asInt(0), values);
            } catch (java.io.IOException e) {
                return new Form(text, 0, Map.of());
            }
        }
    }

    /**
     * The values a submission (or a choice) of a page gives: the form's values of the other pages, this page's fields
     * as they are in {@code state} (a field left empty is no longer set).
     */
    public static Map<String, String> values(GoldenPath path, Form form, ViewState state) {
        Map<String, String> current = values(state);
        Map<String, String> out = new LinkedHashMap<>(form.values());
        if (path.parameters().pageCount() > 1) {
            Map<String, String> all = new LinkedHashMap<>(form.values());
            all.putAll(current);
            path.parameters().shown(all, form.page()).forEach(p -> out.remove(p.name()));
        } else {
            out.clear();
        }
        out.putAll(current);
        return out;
    }

    /**
     * Page {@code form.page()} of the modal (the whole form for a one-page template): its parameters and the
     * dependents their values call for; "Next" on every page but the last, whose submit is "Start".
     *
     * @param values the values so far (the form's and this page's), by parameter name
     */
    public static View page(GoldenPath path, PlatformCatalog catalog, Map<String, String> values, Form form) {
        // which choice of a page's top-level oneOf is shown: the one chosen, else the one whose values were typed
        Map<String, String> given = path.parameters().withChoices(values);
        int pages = path.parameters().pageCount();
        boolean last = form.page() >= pages - 1;
        List<LayoutBlock> blocks = new ArrayList<>();
        if (!path.description().isEmpty() && form.page() == 0) {
            blocks.add(section(s -> s.text(markdownText(SlackRenderer.truncate(SlackRenderer.escape(path.description()), 3000)))));
        }
        if (pages > 1) {
            String title = path.parameters().pageTitle(form.page());
            blocks.add(context(List.of(markdownText("Page " + (form.page() + 1) + " of " + pages
                    + (title.isEmpty() ? "" : ": *" + SlackRenderer.truncate(SlackRenderer.escape(title), 200) + "*")))));
        }
        if (form.page() > 0) {
            // Slack's modal has no back button of its own on an updated view: a button goes back a page (BACK_ACTION)
            blocks.add(actions(List.of(BlockElements.button(b -> b.actionId(BACK_ACTION)
                    .text(plainText("Back to page " + form.page()))))));
        }
        for (Parameter p : pages > 1 ? path.parameters().shown(given, form.page()) : path.parameters().shown(given)) {
            if ("hidden".equals(p.uiWidget())) {
                continue; // not asked for: its default (or what the command typed) is what runs
            }
            // a plain secret is never sent back to Slack, not even as the initial value of its own field
            String initial = SecretParameters.isPlain(p) ? null
                    : given.getOrDefault(p.name(), p.defaultValue());
            List<String> choices = choices(p, catalog);
            blocks.add(input(in -> {
                in.blockId(p.name()).optional(!p.required()).label(plainText(SlackRenderer.truncate(p.title(), 2000)));
                if (path.parameters().decides(p.name())) {
                    // others depend on this value: Slack tells Paver at once when it is chosen (a block action), and
                    // Paver updates the modal with the parameters it calls for (ModalSubmissionHandler)
                    in.dispatchAction(true);
                }
                if (!p.description().isEmpty()) {
                    in.hint(plainText(SlackRenderer.truncate(p.description(), 2000)));
                }
                if (choices.size() > MAX_OPTIONS || EntityPickers.allowsArbitrary(p)) {
                    // more than a static select holds, or a picker that takes an entity it does not list: Slack asks
                    // Paver for the options matching what is typed (the typed entity among them, see suggestions)
                    // more than a static select holds: Slack asks Paver for the options matching what is typed
                    String placeholder = "Type to search " + SlackRenderer.truncate(p.title().toLowerCase(Locale.ROOT), 50);
                    if (p.type().equals("array")) {
                        List<OptionObject> initials = initial == null ? null : List.of(initial.split(",")).stream()
                                .filter(choices::contains).map(c -> choice(p, c)).toList();
                        in.element(BlockElements.multiExternalSelect(sel -> sel.actionId(ACTION_ID).minQueryLength(0)
                                .initialOptions(initials == null || initials.isEmpty() ? null : initials)
                                .placeholder(plainText(placeholder))));
                        return in;
                    }
                    in.element(BlockElements.externalSelect(sel -> sel.actionId(ACTION_ID).minQueryLength(0)
                            .initialOption(initial != null && (choices.contains(initial)
                                    || EntityPickers.allowsArbitrary(p) && initial.equals(EntityPickers.ref(p, initial)))
                                    ? choice(p, initial) : null)
                            .placeholder(plainText(placeholder))));
                } else if (!choices.isEmpty()) {
                    List<OptionObject> options = choices.stream().map(c -> choice(p, c)).toList();
                    boolean few = options.size() <= MAX_BUTTONS;
                    if (p.type().equals("array") && few && "checkboxes".equals(p.uiWidget())) {
                        List<String> initials = initial == null ? List.of() : List.of(initial.split(","));
                        List<OptionObject> selected = options.stream().filter(o -> initials.contains(o.getValue())).toList();
                        in.element(BlockElements.checkboxes(c -> c.actionId(ACTION_ID).options(options)
                                .initialOptions(selected.isEmpty() ? null : selected)));
                        return in;
                    }
                    if (!p.type().equals("array") && few && "radio".equals(p.uiWidget())) {
                        OptionObject selected = options.stream().filter(o -> o.getValue().equals(initial)).findFirst().orElse(null);
                        in.element(BlockElements.radioButtons(r -> r.actionId(ACTION_ID).options(options).initialOption(selected)));
                        return in;
                    }
                    if (p.type().equals("array")) {
                        List<String> initials = initial == null ? List.of() : List.of(initial.split(","));
                        List<OptionObject> selected = options.stream().filter(o -> initials.contains(o.getValue())).toList();
                        in.element(BlockElements.multiStaticSelect(sel -> sel.actionId(ACTION_ID)
                                .options(options).initialOptions(selected.isEmpty() ? null : selected)
                                .placeholder(plainText("Choose " + SlackRenderer.truncate(p.title().toLowerCase(Locale.ROOT), 60)))));
                        return in;
                    }
                    OptionObject selected = options.stream().filter(o -> o.getValue().equals(initial)).findFirst().orElse(null);
                    in.element(staticSelect(sel -> sel.actionId(ACTION_ID).options(options).initialOption(selected)
                            .placeholder(plainText("Choose " + SlackRenderer.truncate(p.title().toLowerCase(Locale.ROOT), 60)))));
                } else {
                    boolean repository = ParameterSchema.REPO_URL_PICKER.equals(p.uiField());
                    in.element(plainTextInput(t -> t.actionId(ACTION_ID).initialValue(initial)
                            .multiline("textarea".equals(p.uiWidget()))
                            .placeholder(repository ? plainText("owner/repository, e.g. acme/payments") : null)
                            .maxLength(p.maxLength() != null ? p.maxLength()
                                    : EntityPickers.ENTITY_NAME_PICKER.equals(p.uiField()) ? 63
                                    : SecretParameters.isSecret(p)
                                    ? SecretParameters.MAX_VALUE : 500)));
                }
                return in;
            }));
        }
        if (Intake.previews(path) && last) {
            OptionObject preview = option(plainText("Preview first"), "true");
            preview.setDescription(plainText("Show the files and the diff in the thread; nothing is pushed until you click Open PR"));
            boolean checked = "true".equals(given.get(Intake.DRY_RUN_PARAMETER));
            blocks.add(input(in -> in.blockId(Intake.DRY_RUN_PARAMETER).optional(true)
                    .label(plainText("Dry run"))
                    .element(BlockElements.checkboxes(c -> c.actionId(ACTION_ID)
                            .options(List.of(preview)).initialOptions(checked ? List.of(preview) : null)))));
        }
        String title = path.title();
        return view(v -> v.type("modal").callbackId(path.id()).privateMetadata(form.metadata())
                .title(viewTitle(t -> t.type("plain_text").text(SlackRenderer.truncate(title, 24))))
                .submit(viewSubmit(s -> s.type("plain_text").text(last ? "Start" : "Next")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    /** Action id of the button that shows a form's previous page, keeping what was entered on this one. */
    public static final String BACK_ACTION = "paver:back";

    /**
     * The previous page of a multi-page form, after a click on its Back button: what was entered on the page shown
     * ({@code state}) is kept in the form's values, and the previous page is prefilled with its own.
     */
    public static View back(GoldenPath path, PlatformCatalog catalog, Form form, ViewState state) {
        Map<String, String> values = values(path, form, state);
        Form previous = new Form(form.channel(), Math.max(0, form.page() - 1), withoutPlainSecrets(path, values));
        return page(path, catalog, previous.values(), previous);
    }

    /** {@code values} without plain secret values ({@code paver:convention: secret-value}), which no form carries. */
    public static Map<String, String> withoutPlainSecrets(GoldenPath path, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>(values);
        path.parameters().parameters().stream().filter(SecretParameters::isPlain).forEach(p -> out.remove(p.name()));
        return out;
    }

    /** Callback id of the form that asks for a deny reason; its {@code private_metadata} is the request id. */
    public static final String DENY_CALLBACK = "paver:deny";
    /** Block id of the deny reason. */
    public static final String REASON = "reason";

    /** The form a Deny click opens: one required reason, at most {@value Approvals#MAX_REASON} characters. */
    public static View denyModal(String requestId) {
        List<LayoutBlock> blocks = List.of(input(in -> in.blockId(REASON).label(plainText("Why do you deny it?"))
                .hint(plainText("The requester reads this in the run's thread; it goes into the audit log."))
                .element(plainTextInput(t -> t.actionId(ACTION_ID).multiline(true)
                        .maxLength(Approvals.MAX_REASON)))));
        return view(v -> v.type("modal").callbackId(DENY_CALLBACK).privateMetadata(requestId)
                .title(viewTitle(t -> t.type("plain_text").text("Deny the request")))
                .submit(viewSubmit(s -> s.type("plain_text").text("Deny")))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    /**
     * The values of a view submission's state, by block id (parameter name); empty fields are left out. Each element's
     * value is read from the field Slack fills for its {@code type} (the {@code view.state.values} of a
     * {@code view_submission} payload, per Slack's Block Kit reference): {@code selected_options} of checkboxes and
     * multi-selects of options (their values joined with ","), {@code selected_option} of a select or radio buttons,
     * {@code selected_user(s)}, {@code selected_conversation(s)}, {@code selected_channel(s)}, {@code selected_date},
     * {@code selected_time}, and {@code value} of text and number inputs.
     */
    public static Map<String, String> values(ViewState state) {
        Map<String, String> out = new LinkedHashMap<>();
        if (state == null || state.getValues() == null) {
            return out;
        }
        state.getValues().forEach((blockId, actions) -> {
            ViewState.Value v = actions.get(ACTION_ID);
            if (v == null) {
                return;
            }
            String value = value(v);
            if (value != null && !value.isBlank()) {
                out.put(blockId, value.strip());
            }
        });
        return out;
    }

    /** One element's submitted value as text, read by its type; null when none. */
    private static String value(ViewState.Value v) {
        String type = v.getType() == null ? "" : v.getType();
        return switch (type) {
            case "checkboxes", "multi_static_select", "multi_external_select" -> v.getSelectedOptions() == null ? null
                    : String.join(",", v.getSelectedOptions().stream().map(ViewState.SelectedOption::getValue).toList());
            case "static_select", "external_select", "radio_buttons" ->
                    v.getSelectedOption() == null ? null : v.getSelectedOption().getValue();
            case "users_select" -> v.getSelectedUser();
            case "multi_users_select" -> v.getSelectedUsers() == null ? null : String.join(",", v.getSelectedUsers());
            case "conversations_select" -> v.getSelectedConversation();
            case "multi_conversations_select" ->
                    v.getSelectedConversations() == null ? null : String.join(",", v.getSelectedConversations());
            case "channels_select" -> v.getSelectedChannel();
            case "multi_channels_select" -> v.getSelectedChannels() == null ? null : String.join(",", v.getSelectedChannels());
            case "datepicker" -> v.getSelectedDate();
            case "timepicker" -> v.getSelectedTime();
            default -> v.getValue();
        };
    }

    /**
     * The most options a static select holds ("Select menu element", Slack's Block Kit reference); a picker with more
     * choices is an external select, whose options Slack asks for as the person types ({@link #suggestions}).
     */
    public static final int MAX_OPTIONS = 100;

    /**
     * The options of an external select for what the person typed: the parameter's choices (catalog picker or enum)
     * that contain {@code typed}, ignoring case, those starting with it first, at most {@value #MAX_OPTIONS} (Slack's
     * limit for a {@code block_suggestion} answer). Empty for a parameter that has no choices.
     *
     * @param typed what is typed in the select so far, possibly empty
     */
    public static List<Option> suggestions(Parameter p, PlatformCatalog catalog, String typed) {
        String query = typed == null ? "" : typed.strip().toLowerCase(Locale.ROOT);
        List<String> matching = new ArrayList<>(choices(p, catalog).stream()
                .filter(c -> c.toLowerCase(Locale.ROOT).contains(query) || label(p, c).toLowerCase(Locale.ROOT).contains(query))
                .sorted(Comparator.comparing((String c) -> !c.toLowerCase(Locale.ROOT).startsWith(query)
                        && !label(p, c).toLowerCase(Locale.ROOT).startsWith(query)))
                .limit(MAX_OPTIONS).toList());
        String typedRef = query.isEmpty() || !EntityPickers.allowsArbitrary(p) ? null : EntityPickers.ref(p, typed.strip());
        if (typedRef != null && !matching.contains(typedRef)) {
            // allowArbitraryValues: the entity typed, though the catalog does not list it, first
            matching.add(0, typedRef);
            if (matching.size() > MAX_OPTIONS) {
                matching.remove(MAX_OPTIONS);
            }
        }
        return matching.stream().map(c -> new Option(plainText(SlackRenderer.truncate(label(p, c), 75)), c)).toList();
    }

    /**
     * The most options radio buttons and checkboxes hold (Slack's Block Kit reference); a {@code ui:widget: radio} or
     * {@code checkboxes} with more choices is a select.
     */
    public static final int MAX_BUTTONS = 10;

    /** An option whose value is {@code value} and whose text is its label ({@code enumNames}), cut to Slack's 75 characters. */
    private static OptionObject choice(Parameter p, String value) {
        return option(plainText(SlackRenderer.truncate(label(p, value), 75)), value);
    }

    /** How an option reads: an entity by its name as Backstage's picker shows it, else its {@code enumNames} label. */
    private static String label(Parameter p, String value) {
        return EntityPickers.storesRef(p) ? EntityPickers.label(p, value) : p.label(value);
    }

    private static List<String> choices(Parameter p, PlatformCatalog catalog) {
        if (EntityPickers.storesRef(p)) {
            return EntityPickers.choices(p, catalog);
        }
        if ("SystemPicker".equals(p.uiField()) && !catalog.systems().isEmpty()) {
            return List.copyOf(catalog.systems().keySet());
        }
        if (("OwnerPicker".equals(p.uiField()) || "GroupPicker".equals(p.uiField())) && !catalog.groups().isEmpty()) {
            return List.copyOf(catalog.groups().keySet());
        }
        if ("DomainPicker".equals(p.uiField()) && !catalog.domains().isEmpty()) {
            return List.copyOf(catalog.domains().keySet());
        }
        return p.enumValues();
    }
}
