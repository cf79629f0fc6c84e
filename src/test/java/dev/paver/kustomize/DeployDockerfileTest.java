package dev.paver.kustomize;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code deploy/Dockerfile} as written (no container engine here to build it): every base image pinned by digest, the
 * runtime user the Deployment runs as, the kustomize the gate runs checked by checksum and new enough for it, and
 * every source folder the jar is built from copied into the build stage.
 */
class DeployDockerfileTest {

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9./_-]+:[A-Za-z0-9._-]+@sha256:[0-9a-f]{64}");

    private static List<String> lines;
    private static Map<String, String> args;
    private static List<List<String>> stages;

    @BeforeAll
    static void read() throws IOException {
        // continuation lines joined, comments dropped
        lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("deploy", "Dockerfile"))) {
            if (line.strip().startsWith("#") && current.isEmpty()) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            if (!current.toString().isBlank()) {
                lines.add(current.toString().strip().replaceAll("\\s+", " "));
            }
            current.setLength(0);
        }
        args = new LinkedHashMap<>();
        stages = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("ARG ") && line.contains("=")) {
                String[] kv = line.substring(4).split("=", 2);
                args.putIfAbsent(kv[0].strip(), kv[1].strip());
            }
            if (line.startsWith("FROM ")) {
                stages.add(new ArrayList<>());
            }
            if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).add(line);
            }
        }
    }

    @Test
    void everyBaseImageIsPinnedByDigestAndTheBuildHasStages() {
        assertThat(stages).hasSizeGreaterThanOrEqualTo(2);
        for (List<String> stage : stages) {
            String image = stage.get(0).substring("FROM ".length()).split(" ")[0];
            Matcher arg = Pattern.compile("\\$\\{(\\w+)}").matcher(image);
            String resolved = arg.matches() ? args.get(arg.group(1)) : image;
            assertThat(resolved).as("the image of '%s'", stage.get(0)).isNotNull().matches(DIGEST);
        }
        assertThat(stages.get(stages.size() - 1).get(0)).as("the runtime is a JRE").contains("RUNTIME_IMAGE");
        // Java 25 for the ahead-of-time cache; the build stays on the Java 17 Paver is compiled for and tested on
        assertThat(args.get("RUNTIME_IMAGE")).startsWith("eclipse-temurin:25-jre@");
        assertThat(args.get("BUILD_IMAGE")).startsWith("maven:3.9-eclipse-temurin-17@");
    }

    @Test
    void theImageRunsAsTheNonRootUserOfTheDeployment() throws IOException {
        List<String> runtime = stages.get(stages.size() - 1);
        List<String> users = runtime.stream().filter(l -> l.startsWith("USER ")).toList();
        assertThat(users).as("one USER in the runtime stage").hasSize(1);
        String user = users.get(0).substring("USER ".length());
        assertThat(user).matches("\\d+:\\d+").doesNotStartWith("0:");

        Map<String, Object> deployment = new Yaml().load(Files.readString(Path.of("deploy", "kubernetes", "base", "deployment.yaml")));
        Map<?, ?> podSecurity = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) deployment.get("spec")).get("template"))
                .get("spec")).get("securityContext");
        assertThat(podSecurity.get("runAsUser") + ":" + podSecurity.get("runAsGroup")).isEqualTo(user);
        assertThat(runtime).anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\""));
    }

    @Test
    void theImageCarriesAChecksummedKustomizeTheGateAccepts() throws IOException {
        String version = args.get("KUSTOMIZE_VERSION");
        assertThat(version).matches("\\d+\\.\\d+\\.\\d+");
        assertThat(Integer.parseInt(version.split("\\.")[0])).isGreaterThanOrEqualTo(KustomizeCommand.MINIMUM_MAJOR);
        List<String> downloads = lines.stream().filter(l -> l.startsWith("ADD ") && l.contains("kustomize")).toList();
        assertThat(downloads).hasSizeGreaterThanOrEqualTo(1).allSatisfy(add -> {
            assertThat(add).matches("ADD --checksum=sha256:[0-9a-f]{64} https://github\\.com/kubernetes-sigs/kustomize/releases/download/.*");
            assertThat(add).contains("${KUSTOMIZE_VERSION}");
        });
        assertThat(stages.get(stages.size() - 1)).anyMatch(l -> l.matches("COPY --from=\\w+ \\S*kustomize /usr/local/bin/kustomize"));
        // and the deployment's configuration runs exactly that program
        assertThat(Files.readString(Path.of("deploy", "kubernetes", "base", "application.yml")))
                .contains("kustomize-command: kustomize build");
    }

    @Test
    void theBuildStageHasEverySourceFolderThePomBuildsTheJarFrom() throws IOException {
        Matcher directory = Pattern.compile("<directory>([^<]+)</directory>").matcher(Files.readString(Path.of("pom.xml")));
        List<String> folders = new ArrayList<>();
        while (directory.find()) {
            folders.add(directory.group(1).strip());
        }
        assertThat(folders).contains("templates", "deploy/crossplane");
        List<String> copied = lines.stream().filter(l -> l.startsWith("COPY ") && !l.startsWith("COPY --from"))
                .map(l -> l.split(" ")[1]).toList();
        for (String folder : folders) {
            assertThat(copied).as("COPY of %s", folder).anyMatch(c -> folder.equals(c) || folder.startsWith(c + "/"));
        }
        assertThat(copied).contains("pom.xml");
    }

    /**
     * The runtime stage trains the ahead-of-time cache with {@code deploy/cds-archive.sh} (which {@code CdsArchiveJarIT}
     * and the start-up benchmark run on the packaged jar) on the jar of the build stage, and the image's command runs
     * the extracted jar with that cache and the context processed ahead of time, with the management port that context
     * needs. {@code /app/paver.jar} stays runnable: create-domain's {@code validate-conventions} workflow runs
     * {@code java -jar /app/paver.jar validate .} in this image.
     */
    @Test
    void theRuntimeStageTrainsTheAheadOfTimeCacheAndTheImageStartsWithItAndTheProcessedContext() throws IOException {
        List<String> runtime = stages.get(stages.size() - 1);
        assertThat(runtime).contains("COPY deploy/cds-archive.sh /tmp/cds-archive.sh")
                .anyMatch(l -> l.matches("COPY --from=build /paver\\.jar /tmp/paver\\.jar"));
        List<String> runs = runtime.stream().filter(l -> l.startsWith("RUN ") && l.contains("cds-archive.sh")).toList();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0)).contains("sh /tmp/cds-archive.sh /tmp/paver.jar /app ");
        int user = runtime.indexOf(runtime.stream().filter(l -> l.startsWith("USER ")).findFirst().orElseThrow());
        int data = runtime.indexOf(runtime.stream().filter(l -> l.contains("mkdir -p /app/data")).findFirst().orElseThrow());
        assertThat(runtime.indexOf(runs.get(0))).as("trained as root, into /app before anything else is there")
                .isLessThan(user).isLessThan(data);
        assertThat(Files.readString(Path.of("templates", "create-domain", "skeleton", "repo", ".github", "workflows",
                "validate-conventions.yaml"))).contains("java -jar /app/paver.jar validate .");
        assertThat(runtime).contains("ENTRYPOINT [\"java\", \"-XX:TieredStopAtLevel=1\", \"-XX:AOTCache=/app/paver.aot\", "
                + "\"-Dspring.aot.enabled=true\", \"-jar\", \"/app/paver.jar\"]");
        assertThat(runtime).anyMatch(l -> l.startsWith("ENV ") && l.contains(" MANAGEMENT_SERVER_PORT=8081"));
        // the deployment's probes are on that port
        assertThat(Files.readString(Path.of("deploy", "kubernetes", "base", "deployment.yaml")))
                .containsPattern("name: MANAGEMENT_SERVER_PORT\\s+value: \"8081\"");
    }
}
