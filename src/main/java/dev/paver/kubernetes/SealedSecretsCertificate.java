package dev.paver.kubernetes;

import dev.paver.core.convention.Names;
import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.CertificateUnavailableException;
import dev.paver.core.secret.InvalidCertificateException;
import dev.paver.core.secret.SealingKey;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Sealed Secrets controller's certificate, from a PEM file or from the controller itself, read again after a
 * refresh period.
 * <ul>
 *   <li>{@link #fromFile}: a PEM certificate file, e.g. what {@code kubeseal --fetch-cert} saved;</li>
 *   <li>{@link #fromController}: {@code GET /api/v1/namespaces/{namespace}/services/http:{service}:{port}/proxy/v1/cert.pem}
 *       through the Kubernetes API server's service proxy, as {@code kubeseal --fetch-cert} does
 *       (bitnami-labs/sealed-secrets {@code pkg/kubeseal/certs.go}, {@code OpenCertCluster}), with the client's own
 *       credentials. Paver's ServiceAccount needs {@code get} on {@code services/proxy} for the resource name
 *       {@code http:{service}:{port}} in the controller's namespace ({@code deploy/kubernetes/base/rbac.yaml}). Unlike
 *       kubeseal, the Service's port name is configured rather than read from the Service, so Paver needs no right on
 *       Services themselves.</li>
 * </ul>
 * A key read is used for the refresh period (and never past its certificate's {@code notAfter}); then it is read again.
 * When reading again fails while the previous key is still valid, the previous key goes on being used and the failure is
 * logged: a controller keeps its older keys for unsealing, so a value sealed with the previous key still unseals. Safe
 * for concurrent use; a call that reads blocks other callers until it is done (at most {@link #TIMEOUT} for the
 * controller).
 */
public final class SealedSecretsCertificate implements CertificateSource {

    /** How long one request to the API server may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(SealedSecretsCertificate.class);
    /** A Service port name (IANA service name: up to 15 lowercase letters, digits and '-'), or empty for an unnamed port. */
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9-]{0,15}");

    /** Reads the PEM text; throws {@link CertificateUnavailableException} saying what went wrong. */
    @FunctionalInterface
    private interface Reader {
        String read();
    }

    private final String origin;
    private final Reader reader;
    private final Duration refresh;
    private final Clock clock;

    private SealingKey key;
    private Instant readAt;

    private SealedSecretsCertificate(String origin, Reader reader, Duration refresh, Clock clock) {
        this.origin = origin;
        this.reader = reader;
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (refresh.isNegative()) {
            throw new IllegalArgumentException("the certificate refresh period must not be negative: " + refresh);
        }
    }

    /**
     * A certificate read from a PEM file.
     *
     * @param file    the PEM certificate; it need not exist yet (each read says when it does not)
     * @param refresh how long a key read is used before the file is read again
     * @param clock   decides the refresh and whether the certificate has expired
     */
    public static SealedSecretsCertificate fromFile(Path file, Duration refresh, Clock clock) {
        Objects.requireNonNull(file, "file");
        String origin = "the Sealed Secrets certificate file " + file;
        return new SealedSecretsCertificate(origin, () -> readFile(file, origin), refresh, clock);
    }

    /**
     * A certificate read from the controller through the API server's service proxy.
     *
     * @param client    a client authenticated as Paver
     * @param namespace the controller's namespace, e.g. {@code kube-system}
     * @param service   the controller's Service, e.g. {@code sealed-secrets-controller}
     * @param port      the name of the Service's HTTP port, e.g. {@code http}; empty for a Service whose only port has
     *                  no name
     * @param refresh   how long a key read is used before it is read again
     * @param clock     decides the refresh and whether the certificate has expired
     * @throws IllegalArgumentException when the namespace or service is not a DNS-1123 label or the port not a port name
     */
    public static SealedSecretsCertificate fromController(KubernetesClient client, String namespace, String service,
                                                          String port, Duration refresh, Clock clock) {
        Objects.requireNonNull(client, "client");
        if (!Names.isDnsLabel(namespace)) {
            throw new IllegalArgumentException("the Sealed Secrets controller's namespace " + Names.quote(namespace)
                    + " is not a namespace name (paver.sealed-secrets.controller-namespace)");
        }
        if (!Names.isDnsLabel(service)) {
            throw new IllegalArgumentException("the Sealed Secrets controller's Service " + Names.quote(service)
                    + " is not a Service name (paver.sealed-secrets.controller-name)");
        }
        String portName = port == null ? "" : port;
        if (!PORT_NAME.matcher(portName).matches()) {
            throw new IllegalArgumentException("the Sealed Secrets controller's port " + Names.quote(portName)
                    + " is not a Service port name (paver.sealed-secrets.controller-port)");
        }
        String proxyName = "http:" + service + ":" + portName;
        String path = "api/v1/namespaces/" + namespace + "/services/" + proxyName + "/proxy/v1/cert.pem";
        String origin = "the Sealed Secrets controller (Service " + service + " in namespace " + namespace + ")";
        return new SealedSecretsCertificate(origin, () -> readController(client, path, origin, namespace, service, proxyName),
                refresh, clock);
    }

    /** Where the certificate is read from, for messages, e.g. {@code the Sealed Secrets certificate file /etc/paver/cert.pem}. */
    public String origin() {
        return origin;
    }

    /**
     * The controller's key: the one read last while it is fresh, otherwise read again.
     *
     * @throws CertificateUnavailableException when it cannot be read and no earlier key is still valid, or what was
     *                                         read is not a usable certificate (cause {@link InvalidCertificateException})
     */
    @Override
    public synchronized SealingKey current() {
        Instant now = clock.instant();
        boolean valid = key != null && !now.isAfter(key.notAfter());
        if (valid && now.isBefore(readAt.plus(refresh))) {
            return key;
        }
        try {
            SealingKey read = parse(reader.read(), now);
            if (key == null || !read.equals(key)) {
                LOG.info("Sealed Secrets key from {}: {}", origin, read);
            }
            key = read;
            readAt = now;
            return read;
        } catch (CertificateUnavailableException e) {
            if (valid) {
                LOG.warn("could not read the Sealed Secrets certificate again, using the one read at {} until it can be: {}",
                        readAt, e.getMessage());
                return key;
            }
            throw e;
        }
    }

    private SealingKey parse(String pem, Instant now) {
        try {
            return SealingKey.fromPem(pem, now);
        } catch (InvalidCertificateException e) {
            throw new CertificateUnavailableException(origin + ": " + e.getMessage(), e);
        }
    }

    private static String readFile(Path file, String origin) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new CertificateUnavailableException(origin + " does not exist: save the controller's certificate there "
                    + "(`kubeseal --fetch-cert > " + file.getFileName() + "`) or change paver.sealed-secrets.certificate-file", e);
        } catch (IOException | RuntimeException e) {
            throw new CertificateUnavailableException("cannot read " + origin + ": " + e.getMessage(), e);
        }
    }

    private static String readController(KubernetesClient client, String path, String origin, String namespace,
                                         String service, String proxyName) {
        String base = client.getMasterUrl().toString();
        String url = (base.endsWith("/") ? base : base + "/") + path;
        HttpClient http = withoutRetries(client);
        HttpRequest request = http.newHttpRequestBuilder().uri(url)
                .header("Accept", "application/x-pem-file, */*")
                .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateUnavailableException("interrupted while reading the certificate of " + origin, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new CertificateUnavailableException("could not reach the API server to read the certificate of " + origin
                    + ": " + describe(cause), e);
        }
        int code = response.code();
        if (code == 200) {
            return response.body();
        }
        String reason = reason(client, response.body());
        String what = "the API server answered HTTP " + code + (reason.isEmpty() ? "" : " (" + reason + ")")
                + " to reading the certificate of " + origin;
        throw new CertificateUnavailableException(switch (code) {
            case 401 -> what + ": Paver's cluster credentials were not accepted";
            case 403 -> what + ": Paver may not read it. Its Role in namespace " + namespace + " must allow get on "
                    + "services/proxy for the resource name " + proxyName + " (deploy/kubernetes/base/rbac.yaml), or set "
                    + "paver.sealed-secrets.certificate-file";
            case 404 -> what + ": is the controller's Service called " + service + " in namespace " + namespace + "? "
                    + "Set paver.sealed-secrets.controller-name and controller-namespace to it, or set "
                    + "paver.sealed-secrets.certificate-file";
            case 502, 503 -> what + ": is the controller running, and is its Service port named as "
                    + "paver.sealed-secrets.controller-port says (" + proxyName + ")?";
            default -> what;
        });
    }

    /**
     * The client's HTTP client (same connections, credentials and interceptors) without its retries of 5xx answers: a
     * 503 here means the controller is not running, and retrying it with backoff would hold a Slack request for
     * a minute and more.
     */
    private static HttpClient withoutRetries(KubernetesClient client) {
        RequestConfig config = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        return client.getHttpClient().newBuilder().tag(config).build();
    }

    /** The API server's {@code Status.message}, else the start of the body on one line, else nothing. */
    private static String reason(KubernetesClient client, String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
            if (status != null && status.getMessage() != null && !status.getMessage().isBlank()) {
                return status.getMessage();
            }
        } catch (RuntimeException notAStatus) {
            // a plain-text answer, e.g. from the controller itself
        }
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null || root.getMessage().isBlank() ? root.getClass().getSimpleName() : root.getMessage();
    }
}
