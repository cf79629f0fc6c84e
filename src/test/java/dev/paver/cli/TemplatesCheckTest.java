package dev.paver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.SharedFixtures;
import dev.paver.config.BuiltInActions;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar paver.jar templates check [dir]} on Paver's own golden paths beside real Backstage templates
 * (backstage/software-templates and backstage/demo, in {@code ../shared/fixtures/backstage/}): exit codes, one line
 * per problem with file and line, and the good paths still load.
 */
class TemplatesCheckTest {

    private static final List<String> PAVER_PATHS = List.of("create-domain", "create-group", "create-resource",
            "create-secret", "create-service", "create-system", "create-user", "delete-service", "elevate", "promote",
            "rotate-secret");

    @TempDir
    Path tmp;

    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Result check(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TemplatesCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env::get);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Paver's templates/ copied to a new folder, with these fixture folders beside them under their own names. */
    private Path templatesWith(String... backstage) throws IOException {
        Path root = tmp.resolve("templates");
        copy(Path.of("templates"), root);
        for (String name : backstage) {
            Path source = name.equals("demo-template") ? SharedFixtures.path("backstage", "demo-template")
                    : SharedFixtures.path("backstage", "software-templates", name);
            copy(source, root.resolve(name));
        }
        return root;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(f -> {
                try {
                    Path target = to.resolve(from.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(f, target);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void paversOwnTemplatesAllLoad() {
        Result result = check(Map.of(), "check", "templates");

        assertThat(result.exit()).isEqualTo(TemplatesCheck.VALID);
        assertThat(result.lines()).isEmpty();
        assertThat(result.err()).contains("11 golden paths load", "create-service", "no problems");
    }

    @Test
    void realBackstageTemplatesLoadBesidePaversOwnWithBackstagesActions() throws IOException {
        Path root = templatesWith("docs-template", "create-react-app", "pull-request", "springboot-grpc-template",
                "demo-template");

        Result result = check(Map.of(), "check", root.toString());

        assertThat(result.lines()).as("Backstage's own actions are Paver's too, the demo's GitHub and notification "
                + "actions included").noneMatch(l -> l.contains("not registered"));
        assertThat(result.exit()).isEqualTo(TemplatesCheck.VALID);
        assertThat(result.err()).contains("16 golden paths load", "demo-template", "no problems");

        GoldenPathCatalog catalog = GoldenPathCatalog.load(root, BuiltInActions.ids());
        assertThat(catalog.all()).extracting(GoldenPath::id).containsAll(PAVER_PATHS)
                .as("ids are metadata.name, not the folder").contains("docs-template", "springboot-template",
                        "create-react-app-template", "pull-request", "demo-template");
        assertThat(catalog.turnedOff()).isEmpty();
    }

    @Test
    void aStepWithAnActionPaverLacksIsReportedWithFileLineAndReasonAndTheOthersStillLoad() throws IOException {
        Path root = templatesWith("demo-template");
        Path template = root.resolve("demo-template").resolve("template.yaml");
        Files.writeString(template, Files.readString(template).replace("action: notification:send",
                "action: notification:send-sms"));

        Result result = check(Map.of(), "check", root.toString());

        assertThat(result.exit()).isEqualTo(TemplatesCheck.PROBLEMS);
        assertThat(result.lines()).contains("templates/demo-template/template.yaml:155: step notify uses action "
                + "notification:send-sms, which is not registered in Paver");
        assertThat(result.lines()).filteredOn(l -> l.contains("Paver's actions are")).hasSize(1)
                .allSatisfy(l -> assertThat(l).contains("fetch:template", "fetch:plain", "publish:github",
                        "catalog:register", "github:pages:enable", "github:actions:dispatch", "notification:send"));
        assertThat(result.err()).contains("11 golden paths load", "1 template does not load [demo-template]");
    }

    @Test
    void aTemplateNamedLikeOneOfPaversIsRefusedWithIt() throws IOException {
        Path root = templatesWith("docs-template");
        Path copy = root.resolve("my-create-service");
        copy(root.resolve("create-service"), copy);

        Result result = check(Map.of(), "check", root.toString());

        assertThat(result.exit()).isEqualTo(TemplatesCheck.PROBLEMS);
        assertThat(result.lines()).contains("templates/create-service/template.yaml:4: metadata.name 'create-service' is also "
                + "the name of templates/my-create-service/template.yaml: a golden path's name is its slash sub-command, so "
                + "neither loads; rename one of them");
        assertThat(result.err()).contains("11 golden paths load", "1 template does not load [create-service]");
    }

    @Test
    void readsTheFolderFromTheEnvironmentAsTheServerDoes() throws IOException {
        Path root = templatesWith("demo-template");
        Path template = root.resolve("demo-template").resolve("template.yaml");
        Files.writeString(template, Files.readString(template).replace("action: notification:send",
                "action: notification:page"));

        Result result = check(Map.of("PAVER_TEMPLATES_DIR", root.toString()), "check");

        assertThat(result.exit()).isEqualTo(TemplatesCheck.PROBLEMS);
        assertThat(result.lines()).contains(
                "templates/demo-template/template.yaml:155: step notify uses action notification:page, which is not registered in Paver");
    }

    @Test
    void checksThePlatformListsOfAConfigurationFile() throws IOException {
        Path config = tmp.resolve("application.yml");
        Files.writeString(config, """
                paver:
                  conventions:
                    profiles:
                      medium: {requests-cpu: 250m, requests-memory: 256Mi, limits-cpu: "1", limits-memory: 1Gi}
                      large: {requests-cpu: 500m, requests-memory: 512Mi, limits-cpu: "2", limits-memory: 2Gi}
                """);

        Result result = check(Map.of(), "check", "templates", "--config", config.toString());

        assertThat(result.exit()).isEqualTo(TemplatesCheck.PROBLEMS);
        assertThat(result.lines()).containsExactly("templates/create-service/template.yaml:42: profile: the default "
                + "'small' is not one of the platform's profiles [medium, large]; choose a default among them or leave it out");
        assertThat(check(Map.of(), "check", "templates").exit()).as("the default profiles hold small")
                .isEqualTo(TemplatesCheck.VALID);

        Result missing = check(Map.of(), "check", "templates", "--config", tmp.resolve("none.yml").toString());
        assertThat(missing.exit()).isEqualTo(TemplatesCheck.USAGE);
        assertThat(missing.err()).contains("none.yml is not a file");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(check(Map.of()).exit()).isEqualTo(TemplatesCheck.USAGE);
        assertThat(check(Map.of(), "list").err()).contains("unknown command templates list");
        assertThat(check(Map.of(), "check", "--strict").err()).contains("unknown flag --strict");
        Result missing = check(Map.of(), "check", tmp.resolve("nowhere").toString());
        assertThat(missing.exit()).isEqualTo(TemplatesCheck.USAGE);
        assertThat(missing.err()).contains("does not exist");
        assertThat(check(Map.of(), "check", "a", "b").exit()).isEqualTo(TemplatesCheck.USAGE);
        assertThat(check(Map.of(), "check", "--help").out()).contains("usage: java -jar paver.jar templates check [dir]");
    }
}
