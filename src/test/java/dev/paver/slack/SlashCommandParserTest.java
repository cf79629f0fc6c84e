package dev.paver.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.slack.SlashCommandParser.Help;
import dev.paver.slack.SlashCommandParser.Invoke;
import dev.paver.slack.SlashCommandParser.ParseResult;
import dev.paver.slack.SlashCommandParser.Reply;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlashCommandParserTest {

    private static final String USAGE = "Usage: `/platform create-service <service> --system <system> --owner <owner> "
            + "[--profile small|medium|large] [--port <port>] [--description <description>] [--dry-run]`";

    private static GoldenPathCatalog paths;

    @BeforeAll
    static void loadTheGoldenPaths() {
        paths = GoldenPathFixtures.templates();
    }

    private static ParseResult parse(String text) {
        return SlashCommandParser.parse(text, paths, "/platform");
    }

    private static Map<String, String> invoked(String text) {
        ParseResult result = parse(text);
        assertThat(result).isInstanceOf(Invoke.class);
        Invoke invoke = (Invoke) result;
        assertThat(invoke.path().id()).isEqualTo("create-service");
        return invoke.parameters();
    }

    private static String reply(String text) {
        ParseResult result = parse(text);
        assertThat(result).isInstanceOf(Reply.class);
        return ((Reply) result).text();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "help", "--help", " help  me"})
    void answersHelpWithoutAProblem(String text) {
        assertThat(parse(text)).isEqualTo(new Help(""));
    }

    @Test
    void usageLinesNameTheCommandAsConfigured() {
        ParseResult result = SlashCommandParser.parse("create-service api --system", paths, "/paver");

        assertThat(result).isInstanceOf(Reply.class);
        assertThat(((Reply) result).text()).contains("Usage: `/paver create-service <service>").doesNotContain("/platform");
    }

    @Test
    void answersHelpNamingAnUnknownSubCommand() {
        assertThat(parse("deploy api --env prod")).isEqualTo(new Help("There is no sub-command `deploy`."));
    }

    @Test
    void keepsAnUnknownSubCommandFromBreakingOutOfItsCodeSpan() {
        Help help = (Help) parse("a`b" + "x".repeat(60));

        assertThat(help.problem()).isEqualTo("There is no sub-command `a'b" + "x".repeat(37) + "…`.");
    }

    @Test
    void readsThePositionalParameterAndFlags() {
        assertThat(invoked("create-service api --system checkout --owner=team-payments --port 9090"))
                .containsExactly(Map.entry("service", "api"), Map.entry("system", "checkout"),
                        Map.entry("owner", "team-payments"), Map.entry("port", "9090"));
    }

    @Test
    void readsThePositionalParameterAfterFlags() {
        assertThat(invoked("create-service --system checkout api")).containsEntry("service", "api").containsEntry("system", "checkout");
    }

    @Test
    void readsAPositionalParameterGivenAsAFlag() {
        assertThat(invoked("create-service --service api")).isEqualTo(Map.of("service", "api"));
    }

    @Test
    void readsQuotedValuesWithSpaces() {
        assertThat(invoked("create-service api --description \"Books every payment\" --owner 'team payments'"))
                .containsEntry("description", "Books every payment").containsEntry("owner", "team payments");
    }

    @Test
    void readsValuesInTypographicQuotes() {
        assertThat(invoked("create-service api --description \u201cBooks every payment\u201d"))
                .containsEntry("description", "Books every payment");
        assertThat(invoked("create-service api --description \u2018Books it all\u2019"))
                .containsEntry("description", "Books it all");
    }

    @Test
    void keepsATypographicApostropheInsideAValue() {
        assertThat(invoked("create-service api --description \u201cDon\u2019t panic\u201d")).containsEntry("description", "Don\u2019t panic");
    }

    @Test
    void readsAQuotedValueAfterTheEqualsSign() {
        assertThat(invoked("create-service api --description=\"Books every payment\""))
                .containsEntry("description", "Books every payment");
    }

    @Test
    void readsAnEmptyQuotedValue() {
        assertThat(invoked("create-service api --description \"\"")).containsEntry("description", "");
    }

    @Test
    void splitsOnTabsAndNoBreakSpacesThatSlackSends() {
        assertThat(invoked("create-service\tapi\u00a0--system\u00a0checkout")).isEqualTo(Map.of("service", "api", "system", "checkout"));
    }

    @Test
    void repliesWhenAFlagHasNoValue() {
        assertThat(reply("create-service api --system")).isEqualTo("`--system` needs a value. " + USAGE);
        assertThat(reply("create-service api --system --owner team-payments")).startsWith("`--system` needs a value.");
    }

    @Test
    void repliesWhenAFlagHasNoName() {
        assertThat(reply("create-service api --=checkout")).isEqualTo("A flag has no name. " + USAGE);
    }

    @Test
    void repliesWhenAFlagIsGivenTwice() {
        assertThat(reply("create-service api --system checkout --system=billing")).isEqualTo("`--system` is given twice. " + USAGE);
        assertThat(reply("create-service api --service api")).startsWith("`--service` is given twice.");
    }

    @Test
    void repliesToAnExtraPositionalValue() {
        assertThat(reply("create-service api worker --system checkout")).isEqualTo("Unexpected value `worker`. " + USAGE);
    }

    @Test
    void repliesToAnUnclosedQuote() {
        assertThat(reply("create-service api --description \"Books every payment")).isEqualTo("A quote is not closed: add the closing \".");
        assertThat(reply("create-service api --description \u201cBooks")).isEqualTo("A quote is not closed: add the closing \u201d.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--", "-- --", "create-service --", "create-service -- --", "create-service ---", "create-service =",
            "create-service --=", "create-service \"", "create-service '", "create-service \u201c\u201d\u201d", "\u0000",
            "create-service \u0000 --\u0000", "create-service \ud83d", "create-service \"\"\"\"", "create-service ''''",
            "create-service `rm -rf /`", "<!channel>", "create-service <@U123> --owner <!here>", "create-service \n\n",
            "create-service --system=--owner", "create-service api --a=b=c"})
    void neverThrowsOnStrangeInput(String text) {
        assertThatCode(() -> assertThat(parse(text)).isNotNull()).doesNotThrowAnyException();
    }

    @Test
    void neverThrowsOnRandomInput() {
        String alphabet = " \t\u00a0-=\"'\u201c\u201d\u2018\u2019`\\\n\u0000ac" + "create-service".repeat(1);
        Random random = new Random(20240601L);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder(i % 3 == 0 ? "create-service " : "");
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String input = text.toString();
            assertThatCode(() -> assertThat(parse(input)).isNotNull()).as("input %s", input).doesNotThrowAnyException();
        }
    }

    @Test
    void keepsALongValueWhole() {
        String description = "x".repeat(5_000);

        assertThat(invoked("create-service api --description " + description)).containsEntry("description", description);
    }
    @Test
    void aPlainSecretValueOnTheCommandLineIsRefusedWithoutRepeatingIt() {
        String text = reply("create-secret api --environment dev --name stripe-key --key STRIPE_KEY --value sk_live_hunter2");

        assertThat(text).contains("Nothing was started").contains("`--value`").contains("the form")
                .contains("kubeseal --raw").contains("`--sealedValue`").doesNotContain("hunter2");
        assertThat(reply("create-secret api --value=sk_live_hunter2")).contains("`--value`").doesNotContain("hunter2");
    }

    @Test
    void aPlainSecretTypedAnyOtherWayIsRefusedWithoutRepeatingIt() {
        // single dash, the dashes keyboards make of "--", other case, a near miss, a separator that is not '=',
        // a line break or another Unicode space between flag and value, the value glued to the flag
        for (String text : java.util.List.of("create-secret -value hunter2", "create-secret \u2014value hunter2",
                "create-secret api \u2014value=hunter2", "create-secret api \u2013value hunter2",
                "create-secret api --VALUE hunter2", "create-secret api --Value=hunter2", "create-secret api --valu hunter2",
                "create-secret api --values hunter2", "create-secret api --value:hunter2", "create-secret api --value\nhunter2",
                "create-secret api --value\u2003hunter2", "create-secret api --value\u202fhunter2", "create-secret api --valuehunter2",
                "create-secret api --environment dev --name x --key K --value:hunter2 x", "create-secret api --value")) {
            assertThat(reply(text)).as(text).contains("Nothing was started", "`--value` would put a plain secret")
                    .doesNotContain("hunter2");
        }
    }

    @Test
    void aPathWithAPlainSecretNeverQuotesAnUnexpectedWordNorAnOddFlag() {
        assertThat(reply("create-secret api hunter2 --environment dev"))
                .startsWith("Unexpected value: word 2 after `create-secret`.").doesNotContain("hunter2");
        assertThat(reply("create-secret api --env:hunter2 dev")).startsWith("A flag's name is letters, digits and '-'")
                .doesNotContain("hunter2");
        assertThat(parse("--value=hunter2")).isEqualTo(new Help("A command starts with a golden path, not a flag."));
        assertThat(reply("create-service api worker --system checkout")).as("other paths still quote it")
                .startsWith("Unexpected value `worker`.");
    }

    @Test
    void aKebabCaseFlagNamesTheCamelCaseParameter() {
        ParseResult result = parse("create-secret api --environment dev --name stripe-key --key K --sealed-value AgBy==");

        assertThat(result).isInstanceOf(Invoke.class);
        assertThat(((Invoke) result).parameters()).containsEntry("sealedValue", "AgBy==").doesNotContainKey("sealed-value");
        assertThat(((Invoke) parse("create-service api --no-such-flag x")).parameters()).containsKey("no-such-flag");
    }

    @Test
    void theUsageLineLeavesThePlainSecretOut() {
        String usage = paths.find("create-secret").orElseThrow().usage("/platform");

        assertThat(usage).contains("[--sealedValue <sealedValue>]").doesNotContain("--value");
    }

    @Test
    void aTurnedOffGoldenPathIsNamedAsSuchAndTheOthersStillWork(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws java.io.IOException {
        java.nio.file.Path root = tmp.resolve("templates");
        java.nio.file.Files.createDirectories(root.resolve("docs"));
        java.nio.file.Files.copy(dev.paver.SharedFixtures.path("backstage", "software-templates", "docs-template", "template.yaml"),
                root.resolve("docs").resolve("template.yaml"));
        copyTemplate(root, "create-service");
        GoldenPathCatalog withBroken = GoldenPathCatalog.load(root, java.util.Set.of("fetch:template", "paver:conventions:validate",
                "paver:preview", "publish:github:pull-request", "github:repo:create", "paver:await-merge", "argocd:await-sync",
                "paver:check-free"));

        ParseResult docs = SlashCommandParser.parse("docs-template --name handbook", withBroken, "/platform");
        ParseResult service = SlashCommandParser.parse("create-service api --system checkout --owner team-payments", withBroken, "/platform");

        assertThat(docs).isEqualTo(new Help("The golden path `docs-template` is turned off: its template does not load. The "
                + "platform team finds why in Paver's start-up log, or with `java -jar paver.jar templates check`."));
        assertThat(service).isInstanceOf(Invoke.class);
        assertThat(SlackRenderer.help("/platform", withBroken, "")).contains("*create-service*",
                "Turned off, their templates do not load: docs-template.");
    }

    private static void copyTemplate(java.nio.file.Path root, String name) throws java.io.IOException {
        java.nio.file.Path from = java.nio.file.Path.of("templates", name);
        try (var files = java.nio.file.Files.walk(from)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Path target = root.resolve(name).resolve(from.relativize(f).toString());
                if (java.nio.file.Files.isDirectory(f)) {
                    java.nio.file.Files.createDirectories(target);
                } else {
                    java.nio.file.Files.copy(f, target);
                }
            }
        }
    }
}
