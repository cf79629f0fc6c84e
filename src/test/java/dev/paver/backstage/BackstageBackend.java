package dev.paver.backstage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Backstage backend (catalog and Scaffolder, from the npm registry) run as a child process, for tests that
 * use Backstage as an oracle: {@code src/test/backstage/} holds it ({@code package.json}, its lock file,
 * {@code index.js}, {@code app-config.yaml}). {@link #start()} installs it when needed ({@code node install.js}, a
 * no-op once done), starts {@code node --no-node-snapshot index.js} on a free loopback port with a random static
 * token, and waits until Backstage says it is ready; {@link #close()} stops it.
 *
 * <p>Needs Node.js 20 with npm on the {@code PATH}, and for the first install the npm registry and a C++ tool chain
 * (see {@code install.js}); without them {@link #start()} fails and says what is missing, rather than a test
 * passing without comparing anything. The backend's own log goes to {@code target/backstage-backend.log}.
 */
public final class BackstageBackend implements AutoCloseable {

    /** The backend's folder, relative to the project root (where tests run). */
    public static final Path FOLDER = Path.of("src", "test", "backstage");
    /** Where the backend's standard output and error go. */
    public static final Path LOG = Path.of("target", "backstage-backend.log");

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(30);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Object INSTALL_LOCK = new Object();

    private final Process process;
    private final URI baseUrl;
    private final String token;

    private BackstageBackend(Process process, URI baseUrl, String token) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /**
     * Installs the backend if needed, starts it and waits (at most two minutes) until
     * {@code GET /.backstage/health/v1/readiness} answers 200.
     *
     * @throws IllegalStateException when Node.js is missing, the install fails, the process ends before it is ready
     *                               or it is not ready in time; the message names the command and the log to read
     */
    public static BackstageBackend start() {
        return start(Map.of());
    }

    /**
     * As {@link #start()}, with more environment variables for the backend: Backstage reads a variable
     * {@code APP_CONFIG_<key>_<key>} as the configuration value at that path, a JSON value when it parses as one
     * (https://backstage.io/docs/conf/writing#configuration-files, "Environment variables"). For a setting that
     * depends on the test, such as {@code APP_CONFIG_integrations_github} for a GitHub stand-in.
     *
     * @param environment variable to value, added to those the backend gets anyway
     * @throws IllegalStateException as {@link #start()}
     */
    public static BackstageBackend start(Map<String, String> environment) {
        install();
        int port = freeLoopbackPort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        try {
            Files.createDirectories(LOG.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of("node", "--no-node-snapshot", "index.js"))
                    .directory(FOLDER.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(LOG.toFile()));
            builder.environment().put("PAVER_BACKSTAGE_PORT", String.valueOf(port));
            builder.environment().put("PAVER_BACKSTAGE_TOKEN", token);
            builder.environment().put("NODE_ENV", "development");
            // the backend ends when its standard input, a pipe from this JVM, is closed: also when the JVM dies
            builder.environment().put("PAVER_BACKSTAGE_EXIT_WITH_STDIN", "true");
            builder.environment().putAll(environment);
            Process process = builder.start();
            BackstageBackend backend = new BackstageBackend(process, URI.create("http://127.0.0.1:" + port), token);
            try {
                backend.awaitReady();
            } catch (RuntimeException e) {
                backend.close();
                throw e;
            }
            return backend;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Backstage test backend with 'node' (is Node.js 20 on the "
                    + "PATH?): " + e.getMessage(), e);
        }
    }

    /** The backend's base URL, {@code http://127.0.0.1:<port>}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The static external-access token; callers send {@code Authorization: Bearer <token>}. */
    public String token() {
        return token;
    }

    /**
     * {@code GET path} on the backend, with the token unless {@code authenticated} is false.
     *
     * @param path an absolute path with its query, e.g. {@code /api/catalog/entities/by-query?filter=kind=template}
     * @throws IllegalStateException when the backend does not answer within 30 seconds
     */
    public HttpResponse<String> get(String path, boolean authenticated) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(30)).GET();
        if (authenticated) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " on the Backstage test backend: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    /** A client of this backend's Scaffolder. */
    public ScaffolderClient scaffolder() {
        return new ScaffolderClient(baseUrl, token);
    }

    /** Stops the backend: SIGTERM, then after ten seconds SIGKILL. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readiness = HttpRequest.newBuilder(baseUrl.resolve("/.backstage/health/v1/readiness"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Backstage test backend ended with exit code " + process.exitValue()
                        + " before it was ready; its log:\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(readiness, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the Backstage test backend", e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("the Backstage test backend was not ready within " + START_TIMEOUT.toSeconds()
                + " s (last answer: " + last + "); its log:\n" + logTail());
    }

    /** Runs {@code node install.js} in the backend's folder (a no-op when the install is up to date). */
    private static void install() {
        synchronized (INSTALL_LOCK) {
            Path log = Path.of("target", "backstage-install.log");
            try {
                Files.createDirectories(log.getParent());
                Process install = new ProcessBuilder(List.of("node", "install.js"))
                        .directory(FOLDER.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                        .start();
                if (!install.waitFor(INSTALL_TIMEOUT.toMinutes(), TimeUnit.MINUTES)) {
                    install.destroyForcibly();
                    throw new IllegalStateException("installing the Backstage test backend took more than "
                            + INSTALL_TIMEOUT.toMinutes() + " minutes; see " + log.toAbsolutePath());
                }
                if (install.exitValue() != 0) {
                    throw new IllegalStateException("installing the Backstage test backend failed ('node install.js' in "
                            + FOLDER + " ended with " + install.exitValue() + "); its output:\n" + tail(log));
                }
            } catch (IOException e) {
                throw new IllegalStateException("the Backstage fidelity tests need Node.js 20 and npm on the PATH "
                        + "(Debian: apt-get install nodejs npm g++ make python3), and cannot run 'node': "
                        + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while installing the Backstage test backend", e);
            }
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static String logTail() {
        return tail(LOG);
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Backstage test backend", e);
        }
    }

    /**
     * One backend for the tests of a class, as a JUnit extension: started before the first test
     * ({@link #start()}) and stopped after the last. {@code @RegisterExtension static final BackstageBackend.PerClass
     * BACKSTAGE = new BackstageBackend.PerClass();}, then {@code BACKSTAGE.backend()}.
     */
    public static final class PerClass implements BeforeAllCallback,
            AfterAllCallback {

        private BackstageBackend backend;

        @Override
        public void beforeAll(ExtensionContext context) {
            backend = start();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            if (backend != null) {
                backend.close();
                backend = null;
            }
        }

        /** The backend started for this class; only between its first and last test. */
        public BackstageBackend backend() {
            if (backend == null) {
                throw new IllegalStateException("the Backstage backend runs only during the tests of its class");
            }
            return backend;
        }
    }
}
