package dev.paver.cli;

import com.sun.net.httpserver.HttpServer;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar paver.jar cds-training}: the training run of Paver's class data sharing archive or ahead-of-time
 * cache ({@code deploy/cds-archive.sh}). Starts the server as {@code java -jar paver.jar} on its embedded defaults (H2 and
 * local repositories under {@code ./data}, no cluster), up to ready: its own {@code /slack/events} warm-up request
 * included, so that the classes of the first request are in the archive too, and the conventions gate's usual schemas
 * derived; then stops it and exits. Health and probes are on a management port of their own, as the image runs them.
 * The JVM records the classes it loaded ({@code -XX:DumpLoadedClassList}, {@code -XX:AOTCacheOutput} on Java 25, or
 * {@code -XX:ArchiveClassesAtExit}); with
 * {@code -Dspring.context.exit=onRefresh} Spring stops it earlier, right after the context's refresh, as Spring Boot's
 * reference ("Class Data Sharing") trains.
 *
 * <p>Slack is a stand-in on loopback that accepts any token ({@code auth.test} answers ok, every other method too):
 * Bolt asks {@code auth.test} while the context starts and a build has no Slack. The tokens and the signing secret are
 * made up; nothing outside this process is reached (no cluster, no GitHub).
 *
 * <p>Runs only in an empty working folder (it writes {@code ./data}): exit code 2 otherwise, with the reason on
 * standard error; 0 after a training run.
 */
public final class CdsTraining {

    /** The training ran. */
    public static final int TRAINED = 0;
    /** The working folder is not empty: nothing was started. */
    public static final int USAGE = 2;

    private static final String AUTH_TEST = """
            {"ok":true,"url":"https://cds-training.invalid/","team":"cds-training","user":"paver",\
            "team_id":"T0CDSTRAINING","user_id":"U0CDSTRAINING","bot_id":"B0CDSTRAINING","is_enterprise_install":false}""";

    private CdsTraining() {
    }

    /**
     * Runs the training in the working folder.
     *
     * @param application Paver's Spring Boot application class (passed in, so that this command does not import the
     *                    class that dispatches to it)
     * @param args        Spring Boot arguments added after the training's own ({@code --server.port=0}, Slack, no cluster)
     * @return {@link #TRAINED}, or {@link #USAGE} when the working folder is not empty
     */
    public static int run(Class<?> application, String[] args) {
        Path here = Path.of("").toAbsolutePath();
        if (!empty(here)) {
            System.err.println("cds-training starts Paver on its embedded defaults, which write ./data: run it in an empty "
                    + "folder (" + here + " is not)");
            return USAGE;
        }
        HttpServer slack = slackStandIn();
        try {
            String api = "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/";
            // health and probes on a port of their own, as deploy/ and the image run them (the context processed
            // ahead of time, -Dspring.aot.enabled=true, serves them on no other): their classes are archived too
            List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                    "--management.server.port=0", "--management.server.address=127.0.0.1",
                    "--paver.slack.bot-token=xoxb-cds-training", "--paver.slack.signing-secret=cds-training",
                    "--paver.slack.api-url=" + api, "--paver.kubernetes.enabled=false"));
            all.addAll(List.of(args));
            try (ConfigurableApplicationContext context = SpringApplication.run(application,
                    all.toArray(String[]::new))) {
                // derived in the background after ready: here before the stop, so that the gate's classes are archived
                context.getBeanProvider(KubernetesSchemas.class).ifAvailable(KubernetesSchemas::warmUp);
                System.out.println("cds-training: Paver started, answered its warm-up request and derived the gate's "
                        + "schemas; stopping");
            }
            return TRAINED;
        } finally {
            slack.stop(0);
        }
    }

    private static boolean empty(Path folder) {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Slack Web API on loopback that answers every method {@code ok} ({@code auth.test} with a made-up team). */
    private static HttpServer slackStandIn() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/api/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                String method = exchange.getRequestURI().getPath().substring("/api/".length());
                byte[] body = (method.equals("auth.test") ? AUTH_TEST : "{\"ok\":true}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
