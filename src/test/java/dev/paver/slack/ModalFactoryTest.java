package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.slack.api.app_backend.views.payload.ViewSubmissionPayload;
import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.PlainTextInputElement;
import com.slack.api.model.block.element.StaticSelectElement;
import com.slack.api.model.view.View;
import com.slack.api.util.json.GsonFactory;
import dev.paver.SharedFixtures;
import dev.paver.core.convention.Conventions;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.RequestCheck;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModalFactoryTest {

    private final GoldenPath createService = GoldenPathFixtures.createService();
    private final PlatformCatalog payments = GoldenPathFixtures.paymentsCatalog();

    private static InputBlock input(View view, String blockId) {
        return view.getBlocks().stream().filter(b -> b instanceof InputBlock i && blockId.equals(i.getBlockId()))
                .map(InputBlock.class::cast).findFirst().orElseThrow(() -> new AssertionError("no input block " + blockId));
    }

    private static StaticSelectElement select(View view, String blockId) {
        assertThat(input(view, blockId).getElement()).as("element of %s", blockId).isInstanceOf(StaticSelectElement.class);
        return (StaticSelectElement) input(view, blockId).getElement();
    }

    private static PlainTextInputElement text(View view, String blockId) {
        assertThat(input(view, blockId).getElement()).as("element of %s", blockId).isInstanceOf(PlainTextInputElement.class);
        return (PlainTextInputElement) input(view, blockId).getElement();
    }

    @Test
    void buildsTheModalOfAGoldenPath() {
        View view = ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS");

        assertThat(view.getType()).isEqualTo("modal");
        assertThat(view.getCallbackId()).isEqualTo("create-service");
        assertThat(view.getPrivateMetadata()).isEqualTo("C0PAYMENTS");
        assertThat(view.getTitle().getText()).isEqualTo("Create a service");
        assertThat(view.getSubmit().getText()).isEqualTo("Start");
        assertThat(view.getBlocks().get(0)).isInstanceOf(SectionBlock.class);
        assertThat(view.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly("service", "system", "owner", "profile", "port", "description", "dry-run");
    }

    @Test
    void marksOnlyParametersWithoutDefaultThatTheTemplateRequiresAsRequired() {
        View view = ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS");

        assertThat(view.getBlocks()).filteredOn(InputBlock.class::isInstance).map(b -> (InputBlock) b)
                .extracting(InputBlock::getBlockId, InputBlock::isOptional)
                .containsExactly(tuple("service", false), tuple("system", false),
                        tuple("owner", false), tuple("profile", true),
                        tuple("port", true), tuple("description", true), tuple("dry-run", true));
        assertThat(input(view, "service").getLabel().getText()).isEqualTo("Service name");
        assertThat(input(view, "service").getHint().getText()).startsWith("Lowercase letters, digits and '-'");
    }

    @Test
    void offersEnumsAndCatalogEntriesAsStaticSelects() {
        View view = ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS");

        assertThat(select(view, "profile").getOptions()).extracting(OptionObject::getValue).containsExactly("small", "medium", "large");
        assertThat(select(view, "system").getOptions()).extracting(OptionObject::getValue).containsExactly("checkout");
        assertThat(select(view, "owner").getOptions()).extracting(OptionObject::getValue).containsExactly("team-payments");
        assertThat(List.of("profile", "system", "owner")).allSatisfy(id ->
                assertThat(select(view, id).getActionId()).isEqualTo(ModalFactory.ACTION_ID));
        assertThat(text(view, "service").getActionId()).isEqualTo(ModalFactory.ACTION_ID);
    }

    @Test
    void asksForFreeTextWhenTheCatalogKnowsNoSystemYet() {
        View view = ModalFactory.modal(createService, PlatformCatalog.empty(), Map.of(), "C0PAYMENTS");

        assertThat(text(view, "system").getInitialValue()).isNull();
        assertThat(text(view, "owner").getMaxLength()).isEqualTo(500);
    }

    @Test
    void prefillsDefaultsAndWhatWasTyped() {
        View view = ModalFactory.modal(createService, payments, Map.of("service", "api", "profile", "large"), "C0PAYMENTS");

        assertThat(text(view, "service").getInitialValue()).isEqualTo("api");
        assertThat(select(view, "profile").getInitialOption().getValue()).isEqualTo("large");
        assertThat(text(view, "port").getInitialValue()).isEqualTo("8080");
        assertThat(select(view, "system").getInitialOption()).isNull();
        assertThat(text(view, "description").getInitialValue()).isNull();
        assertThat(text(view, "description").getMaxLength()).isEqualTo(200);
    }

    @Test
    void selectsTheDefaultWhenNothingWasTyped() {
        View view = ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS");

        assertThat(select(view, "profile").getInitialOption().getValue()).isEqualTo("small");
    }

    @Test
    void doesNotPreselectATypedValueThatIsNoOption() {
        View view = ModalFactory.modal(createService, payments, Map.of("system", "billing"), "C0PAYMENTS");

        assertThat(select(view, "system").getInitialOption()).isNull();
    }

    @Test
    void rendersTheCreateServiceModal() {
        View view = ModalFactory.modal(createService, payments, Map.of("service", "api"), "C0PAYMENTS");

        GoldenFiles.assertMatches("modal-create-service.json", view);
    }

    /**
     * A view submission of the create-service modal in the shape Slack sends (the recorded feedback-form
     * submission), with its state replaced by Paver's blocks: a typed value, selected options and an empty field.
     */
    private static ViewSubmissionPayload submission() {
        JsonObject recorded = JsonParser.parseString(SharedFixtures.text("slack", "vercel-chat-modals-slack.json"))
                .getAsJsonObject().getAsJsonObject("viewSubmission").deepCopy();
        JsonObject values = recorded.getAsJsonObject("view").getAsJsonObject("state").getAsJsonObject("values");
        JsonObject typed = values.getAsJsonObject("message").getAsJsonObject("message");
        JsonObject selected = values.getAsJsonObject("category").getAsJsonObject("category");
        JsonObject state = new JsonObject();
        state.add("service", ours(typed, "value", " api "));
        state.add("system", ours(selected, "selected_option", "checkout"));
        state.add("owner", ours(selected, "selected_option", "team-payments"));
        state.add("profile", ours(selected, "selected_option", "medium"));
        state.add("port", ours(typed, "value", null));
        state.add("description", ours(typed, "value", "  "));
        recorded.getAsJsonObject("view").getAsJsonObject("state").add("values", state);
        recorded.getAsJsonObject("view").addProperty("callback_id", "create-service");
        return GsonFactory.createSnakeCase().fromJson(recorded, ViewSubmissionPayload.class);
    }

    /** One block's state under Paver's action id, copied from a recorded element state with another value. */
    private static JsonObject ours(JsonObject recordedElement, String field, String value) {
        JsonObject element = recordedElement.deepCopy();
        if (field.equals("selected_option")) {
            JsonObject option = element.getAsJsonObject("selected_option");
            option.addProperty("value", value);
            option.getAsJsonObject("text").addProperty("text", value);
        } else {
            element.add("value", value == null ? JsonNull.INSTANCE : new JsonPrimitive(value));
        }
        JsonObject block = new JsonObject();
        block.add(ModalFactory.ACTION_ID, element);
        return block;
    }

    @Test
    void readsTheValuesOfAViewSubmissionByBlockId() {
        ViewSubmissionPayload payload = submission();

        assertThat(ModalFactory.values(payload.getView().getState())).containsExactly(Map.entry("service", "api"),
                Map.entry("system", "checkout"), Map.entry("owner", "team-payments"), Map.entry("profile", "medium"));
    }

    @Test
    void readsNothingFromBlocksThatAreNotPavers() {
        JsonObject recorded = JsonParser.parseString(SharedFixtures.text("slack", "vercel-chat-modals-slack.json"))
                .getAsJsonObject().getAsJsonObject("viewSubmission");
        ViewSubmissionPayload payload = GsonFactory.createSnakeCase().fromJson(recorded, ViewSubmissionPayload.class);

        assertThat(payload.getView().getState().getValues()).containsKeys("message", "category", "email");
        assertThat(ModalFactory.values(payload.getView().getState())).isEmpty();
        assertThat(ModalFactory.values(null)).isEmpty();
    }

    @Test
    void aSubmittedModalBecomesAnAcceptedRequest() {
        Map<String, String> values = ModalFactory.values(submission().getView().getState());

        RequestCheck.Outcome outcome = new RequestCheck(Conventions.defaults()).check(createService, values, payments, false);

        assertThat(outcome).isInstanceOf(RequestCheck.Accepted.class);
        assertThat(((RequestCheck.Accepted) outcome).parameters()).containsEntry("profile", "medium").containsEntry("port", 8080L);
    }
    @Test
    void theCreateSecretModalAsksForThePlainValueAsTextNeverPrefilledAndTakesAKubesealValueToo() {
        GoldenPath createSecret = GoldenPathFixtures.templates().find("create-secret").orElseThrow();

        View view = ModalFactory.modal(createSecret, GoldenPathFixtures.paymentsCatalogWithApi(),
                Map.of("service", "api", "value", "sk_live_hunter2", "sealedValue", "AgBy=="), "C0PAYMENTS");

        assertThat(view.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly("service", "environment", "name", "key", "scope", "value", "sealedValue", "dry-run");
        assertThat(text(view, "value").getInitialValue()).isNull();
        assertThat(text(view, "value").getMaxLength()).isEqualTo(3000);
        assertThat(input(view, "value").isOptional()).isTrue();
        assertThat(input(view, "value").getHint().getText()).contains("keeps only its fingerprint");
        assertThat(text(view, "sealedValue").getInitialValue()).isEqualTo("AgBy==");
        assertThat(select(view, "scope").getInitialOption().getValue()).isEqualTo("strict");
    }

    /**
     * A view submission whose state holds these element states by block id, each under Paver's action id, in the
     * recorded submission's envelope.
     */
    private static ViewSubmissionPayload submissionWith(String stateValues) {
        JsonObject recorded = JsonParser.parseString(SharedFixtures.text("slack", "vercel-chat-modals-slack.json"))
                .getAsJsonObject().getAsJsonObject("viewSubmission").deepCopy();
        recorded.getAsJsonObject("view").getAsJsonObject("state").add("values", JsonParser.parseString(stateValues));
        return GsonFactory.createSnakeCase().fromJson(recorded, ViewSubmissionPayload.class);
    }

    @Test
    void readsCheckboxesAndMultiSelectsInTheShapeSlackSendsThem() {
        // Slack's view_submission state: checkboxes and multi_static_select carry selected_options, each an option
        // object with its text; multi_users_select carries selected_users; an unchecked box an empty list
        ViewSubmissionPayload payload = submissionWith("""
                {"dry-run": {"value": {"type": "checkboxes", "selected_options": [
                    {"text": {"type": "plain_text", "text": "Preview first", "emoji": true}, "value": "true",
                     "description": {"type": "plain_text", "text": "Show the files and the diff", "emoji": true}}]}},
                 "groups": {"value": {"type": "multi_static_select", "selected_options": [
                    {"text": {"type": "plain_text", "text": "team-payments", "emoji": true}, "value": "team-payments"},
                    {"text": {"type": "plain_text", "text": "team-ledger", "emoji": true}, "value": "team-ledger"}]}},
                 "members": {"value": {"type": "multi_users_select", "selected_users": ["U0DANA", "U0SAM"]}},
                 "system": {"value": {"type": "static_select", "selected_option":
                    {"text": {"type": "plain_text", "text": "checkout", "emoji": true}, "value": "checkout"}}},
                 "unchecked": {"value": {"type": "checkboxes", "selected_options": []}},
                 "nothing-chosen": {"value": {"type": "multi_static_select", "selected_options": []}}}
                """);

        assertThat(ModalFactory.values(payload.getView().getState())).containsExactly(Map.entry("dry-run", "true"),
                Map.entry("groups", "team-payments,team-ledger"), Map.entry("members", "U0DANA,U0SAM"),
                Map.entry("system", "checkout"));
    }

    @Test
    void readsEachElementFromTheFieldOfItsTypeOnly() {
        // a "value" beside a checkbox is not what Slack sends for one: the box counts as unchecked
        ViewSubmissionPayload payload = submissionWith("""
                {"dry-run": {"value": {"type": "checkboxes", "value": "true"}},
                 "service": {"value": {"type": "plain_text_input", "value": "api"}}}
                """);

        assertThat(ModalFactory.values(payload.getView().getState())).containsExactly(Map.entry("service", "api"));
    }

    @Test
    void aCheckedDryRunBoxFromTheModalAsksForAPreview() {
        View view = ModalFactory.modal(createService, payments, Map.of("service", "api"), "C0PAYMENTS");
        var box = (com.slack.api.model.block.element.CheckboxesElement) input(view, "dry-run").getElement();
        OptionObject offered = box.getOptions().get(0);
        ViewSubmissionPayload payload = submissionWith("""
                {"dry-run": {"value": {"type": "checkboxes", "selected_options": [
                    {"text": {"type": "plain_text", "text": "%s"}, "value": "%s"}]}},
                 "service": {"value": {"type": "plain_text_input", "value": "api"}}}
                """.formatted(offered.getText().getText(), offered.getValue()));

        assertThat(ModalFactory.values(payload.getView().getState())).containsEntry("dry-run", "true");
    }

    @Test
    void aPickerOfMoreThanAHundredChoicesIsAnExternalSelectAndItsSuggestionsMatchWhatIsTyped() {
        Map<String, PlatformCatalog.SystemEntry> systems = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 101; i++) {
            String name = String.format("shop-%03d", i);
            systems.put(name, new PlatformCatalog.SystemEntry(name, "payments", "team-payments"));
        }
        systems.put("10-legacy", new PlatformCatalog.SystemEntry("10-legacy", "payments", "team-payments"));
        PlatformCatalog many = new PlatformCatalog(systems, payments.groups());

        View view = ModalFactory.modal(createService, many, Map.of("system", "shop-101"), "C0PAYMENTS");
        assertThat(input(view, "system").getElement()).isInstanceOf(com.slack.api.model.block.element.ExternalSelectElement.class);
        var external = (com.slack.api.model.block.element.ExternalSelectElement) input(view, "system").getElement();
        assertThat(external.getInitialOption().getValue()).as("a typed value stays chosen").isEqualTo("shop-101");
        assertThat(external.getMinQueryLength()).isZero();
        assertThat(select(ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS"), "system").getOptions())
                .as("a short list stays a static select").isNotEmpty();

        var system = createService.parameters().get("system");
        assertThat(ModalFactory.suggestions(system, many, "")).hasSize(ModalFactory.MAX_OPTIONS);
        assertThat(ModalFactory.suggestions(system, many, "SHOP-10")).extracting(o -> o.getValue())
                .as("ignoring case").containsExactly("shop-100", "shop-101");
        assertThat(ModalFactory.suggestions(system, many, "10")).extracting(o -> o.getValue())
                .as("those starting with it first").containsExactly("10-legacy", "shop-010", "shop-100", "shop-101");
        assertThat(ModalFactory.suggestions(createService.parameters().get("service"), many, "a")).as("no choices").isEmpty();
    }

    /** A golden path with one page of {@code properties} (parsed from YAML, as a template's are). */
    private static GoldenPath withProperties(String yaml) {
        Object page = new org.yaml.snakeyaml.Yaml().load("properties:\n" + yaml.indent(2));
        return new GoldenPath("forms", "Forms", "", ParameterSchema.read(List.of(page)), List.of(), Map.of(), List.of(),
                java.nio.file.Path.of("."));
    }

    @Test
    void backstageWidgetsBecomeTheSlackElementsThatShowThem() {
        GoldenPath forms = withProperties("""
                notes: {type: string, title: Notes, ui:widget: textarea}
                tier: {type: string, title: Tier, enum: [gold, silver], enumNames: [Gold (24/7), Silver (office hours)], ui:widget: radio, default: silver}
                zones: {type: array, title: Zones, items: {type: string, enum: [a, b, c], enumNames: [Zone A, Zone B, Zone C]}, ui:widget: checkboxes, default: [a, c]}
                region: {type: string, title: Region, enum: [eu-west-1, us-east-1], enumNames: [Ireland, Virginia]}
                internal: {type: string, title: Internal, default: x, ui:widget: hidden}
                """);
        View view = ModalFactory.modal(forms, payments, Map.of(), "C0PAYMENTS");

        assertThat(text(view, "notes").isMultiline()).as("textarea: a multi-line input").isTrue();
        var tier = (com.slack.api.model.block.element.RadioButtonsElement) input(view, "tier").getElement();
        assertThat(tier.getOptions()).extracting(o -> o.getText().getText(), OptionObject::getValue)
                .containsExactly(tuple("Gold (24/7)", "gold"), tuple("Silver (office hours)", "silver"));
        assertThat(tier.getInitialOption().getValue()).isEqualTo("silver");
        var zones = (com.slack.api.model.block.element.CheckboxesElement) input(view, "zones").getElement();
        assertThat(zones.getOptions()).as("an array's choices are its items' enum, labelled by their enumNames")
                .extracting(o -> o.getText().getText()).containsExactly("Zone A", "Zone B", "Zone C");
        assertThat(zones.getInitialOptions()).extracting(OptionObject::getValue).containsExactly("a", "c");
        assertThat(select(view, "region").getOptions()).extracting(o -> o.getText().getText(), OptionObject::getValue)
                .as("enumNames label a select's options; the value stays what runs")
                .containsExactly(tuple("Ireland", "eu-west-1"), tuple("Virginia", "us-east-1"));
        assertThat(view.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .as("a hidden parameter is not asked for").doesNotContain("internal");
        assertThat(ModalFactory.suggestions(forms.parameters().get("region"), payments, "virg"))
                .as("suggestions match labels too").extracting(o -> o.getValue()).containsExactly("us-east-1");

        ViewSubmissionPayload payload = submissionWith("""
                {"tier": {"value": {"type": "radio_buttons", "selected_option":
                    {"text": {"type": "plain_text", "text": "Gold (24/7)"}, "value": "gold"}}}}
                """);
        assertThat(ModalFactory.values(payload.getView().getState())).containsExactly(Map.entry("tier", "gold"));
    }

    @Test
    void radioButtonsForMoreThanTenChoicesAreASelect() {
        String many = String.join(", ", java.util.stream.IntStream.rangeClosed(1, 11).mapToObj(i -> "v" + i).toList());
        GoldenPath forms = withProperties("size: {type: string, enum: [" + many + "], ui:widget: radio}\n");
        assertThat(select(ModalFactory.modal(forms, payments, Map.of(), "C0PAYMENTS"), "size").getOptions()).hasSize(11);
    }

    @Test
    void aValueOthersDependOnIsDispatchedAndTheModalShowsWhatItCallsFor() {
        Object page = new org.yaml.snakeyaml.Yaml().load("""
                properties:
                  database: {type: string, enum: [none, postgres], default: none}
                dependencies:
                  database:
                    oneOf:
                      - properties: {database: {enum: [none]}}
                      - properties: {database: {enum: [postgres]}, size: {type: string, enum: [small, large]}}
                        required: [size]
                """);
        GoldenPath withDependencies = new GoldenPath("db", "Database", "", ParameterSchema.read(List.of(page)), List.of(),
                Map.of(), List.of(), java.nio.file.Path.of("."));

        View first = ModalFactory.modal(withDependencies, payments, Map.of(), "C0PAYMENTS");
        assertThat(input(first, "database").getDispatchAction()).as("Slack sends the choice at once").isTrue();
        assertThat(first.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly("database");
        View updated = ModalFactory.modal(withDependencies, payments, Map.of("database", "postgres"), "C0PAYMENTS");
        assertThat(updated.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly("database", "size");
        assertThat(input(updated, "size").isOptional()).isFalse();
        assertThat(input(ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS"), "system").getDispatchAction())
                .as("a value nothing depends on is sent with the submission only").isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void aTopLevelOneOfIsAChoiceOfItsTitlesThenTheChosenSchemasFields() {
        Object page = new org.yaml.snakeyaml.Yaml().load("""
                title: Source
                oneOf:
                  - title: From scratch
                    properties: {language: {type: string, enum: [java, go]}}
                  - title: From a repository
                    properties: {repoUrl: {title: Repository, type: string}}
                    required: [repoUrl]
                """);
        GoldenPath withOneOf = new GoldenPath("src", "Source", "", ParameterSchema.read(List.of(page)), List.of(),
                Map.of(), List.of(), java.nio.file.Path.of("."));

        View first = ModalFactory.modal(withOneOf, payments, Map.of(), "C0PAYMENTS");
        StaticSelectElement choice = select(first, ParameterSchema.CHOICE);
        assertThat(choice.getOptions()).extracting(o -> o.getText().getText()).containsExactly("From scratch", "From a repository");
        assertThat(choice.getInitialOption().getValue()).as("the first choice, as the portal's form preselects it").isEqualTo("1");
        assertThat(input(first, ParameterSchema.CHOICE).getDispatchAction()).isTrue();
        assertThat(first.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly(ParameterSchema.CHOICE, "language");

        View second = ModalFactory.modal(withOneOf, payments, Map.of(ParameterSchema.CHOICE, "2"), "C0PAYMENTS");
        assertThat(second.getBlocks()).filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly(ParameterSchema.CHOICE, "repoUrl");
        assertThat(select(second, ParameterSchema.CHOICE).getInitialOption().getValue()).isEqualTo("2");
        assertThat(ModalFactory.modal(withOneOf, payments, Map.of("repoUrl", "acme/api"), "C0PAYMENTS").getBlocks())
                .as("a command that typed the second choice's value opens on the second choice")
                .filteredOn(InputBlock.class::isInstance).extracting(b -> ((InputBlock) b).getBlockId())
                .containsExactly(ParameterSchema.CHOICE, "repoUrl");
        assertThat(withOneOf.usage("/platform")).doesNotContain(ParameterSchema.CHOICE);
    }

    @Test
    void catalogPickersOfferEntityRefsByNameAndAnOpenPickerTakesWhatIsTyped() {
        GoldenPath pickers = withProperties("""
                owner: {type: string, ui:field: OwnerPicker, ui:options: {allowedKinds: [Group], allowArbitraryValues: false}}
                system: {type: string, ui:field: EntityPicker, ui:options: {catalogFilter: {kind: System}}}
                name: {type: string, ui:field: EntityNamePicker}
                """);
        View view = ModalFactory.modal(pickers, payments, Map.of(), "C0PAYMENTS");
        assertThat(select(view, "owner").getOptions()).extracting(OptionObject::getValue).contains("group:default/team-payments");
        assertThat(select(view, "owner").getOptions()).extracting(o -> o.getText().getText()).contains("team-payments");
        assertThat(input(view, "system").getElement()).as("allowArbitraryValues (Backstage's default) needs typing")
                .isInstanceOf(com.slack.api.model.block.element.ExternalSelectElement.class);
        assertThat(ModalFactory.suggestions(pickers.parameters().get("system"), payments, "check"))
                .extracting(o -> o.getValue()).startsWith("system:default/check").contains("system:default/checkout");
        assertThat(text(view, "name").getMaxLength()).isEqualTo(63);
    }

    private static GoldenPath twoPages() {
        Object pages = new org.yaml.snakeyaml.Yaml().load("""
                - title: Component
                  required: [name]
                  properties:
                    name: {title: Name, type: string}
                    note: {title: Note, type: string}
                - title: Location
                  properties:
                    repoUrl: {title: Repository, type: string}
                """);
        return new GoldenPath("two", "Two pages", "", ParameterSchema.read(pages), List.of(), Map.of(), List.of(),
                java.nio.file.Path.of("."));
    }

    private static List<String> fields(View view) {
        return view.getBlocks().stream().filter(InputBlock.class::isInstance).map(b -> ((InputBlock) b).getBlockId()).toList();
    }

    @Test
    void aListOfPagesIsOneModalStepPerPageWithNextUntilTheLast() {
        GoldenPath two = twoPages();
        View first = ModalFactory.modal(two, payments, Map.of(), "C0PAYMENTS");
        assertThat(fields(first)).containsExactly("name", "note");
        assertThat(first.getSubmit().getText()).isEqualTo("Next");
        assertThat(first.getPrivateMetadata()).as("a first page without values carries the channel alone").isEqualTo("C0PAYMENTS");
        assertThat(GsonFactory.createSnakeCase().toJson(first.getBlocks())).contains("Page 1 of 2: *Component*");

        var next = new ModalFactory.Form("C0PAYMENTS", 1, Map.of("name", "api"));
        View second = ModalFactory.page(two, payments, next.values(), next);
        assertThat(fields(second)).containsExactly("repoUrl");
        assertThat(second.getSubmit().getText()).isEqualTo("Start");
        assertThat(ModalFactory.Form.read(second.getPrivateMetadata())).isEqualTo(next);

        View typed = ModalFactory.modal(two, payments, Map.of("repoUrl", "acme/api"), "C0PAYMENTS");
        assertThat(ModalFactory.Form.read(typed.getPrivateMetadata()).values())
                .as("what the command typed for a later page goes along to prefill it").containsEntry("repoUrl", "acme/api");
    }

    @Test
    void aPagesSubmissionReplacesItsOwnFieldsAndKeepsTheOtherPages() {
        GoldenPath two = twoPages();
        var form = new ModalFactory.Form("C0PAYMENTS", 0, Map.of("name", "old", "note", "cleared", "repoUrl", "acme/api"));
        ViewSubmissionPayload submitted = submissionWith("""
                {"name": {"value": {"type": "plain_text_input", "value": "api"}},
                 "note": {"value": {"type": "plain_text_input", "value": null}}}
                """);
        assertThat(ModalFactory.values(two, form, submitted.getView().getState()))
                .containsExactlyInAnyOrderEntriesOf(Map.of("name", "api", "repoUrl", "acme/api"));
    }

    @Test
    void aFormLongerThanSlackKeepsDoesNotFit() {
        assertThat(new ModalFactory.Form("C0PAYMENTS", 1, Map.of("description", "x".repeat(2900))).fits()).isTrue();
        assertThat(new ModalFactory.Form("C0PAYMENTS", 1, Map.of("description", "x".repeat(3000))).fits()).isFalse();
        assertThat(ModalFactory.Form.read("C0PAYMENTS")).isEqualTo(new ModalFactory.Form("C0PAYMENTS", 0, Map.of()));
    }

    @Test
    void backShowsThePreviousPageAndKeepsWhatWasEnteredOnThisOne() {
        GoldenPath two = twoPages();
        var second = new ModalFactory.Form("C0PAYMENTS", 1, Map.of("name", "api", "note", "first"));
        View page = ModalFactory.page(two, payments, second.values(), second);
        assertThat(GsonFactory.createSnakeCase().toJson(page.getBlocks())).contains(ModalFactory.BACK_ACTION, "Back to page 1");
        assertThat(GsonFactory.createSnakeCase().toJson(ModalFactory.modal(two, payments, Map.of(), "C0PAYMENTS").getBlocks()))
                .as("the first page has nothing to go back to").doesNotContain(ModalFactory.BACK_ACTION);

        ViewSubmissionPayload entered = submissionWith("""
                {"repoUrl": {"value": {"type": "plain_text_input", "value": "acme/api"}}}
                """);
        View back = ModalFactory.back(two, payments, second, entered.getView().getState());
        assertThat(fields(back)).containsExactly("name", "note");
        assertThat(text(back, "name").getInitialValue()).isEqualTo("api");
        assertThat(ModalFactory.Form.read(back.getPrivateMetadata())).isEqualTo(new ModalFactory.Form("C0PAYMENTS", 0,
                Map.of("name", "api", "note", "first", "repoUrl", "acme/api")));
    }
}
