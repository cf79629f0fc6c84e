package dev.paver.kubernetes;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The API server refused a request of Paver's, or could not be reached. The message says what Paver tried and, when
 * the server answered, its status message, e.g. {@code the API server refused to create RoleBinding x in y: forbidden:
 * ...} (HTTP {@link #code()} 403). It never carries credentials: only the server's {@code Status.message} or, when
 * there was no answer, the underlying I/O error's message.
 */
public final class ClusterRequestException extends RuntimeException {

    private final int code;

    private ClusterRequestException(String message, int code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * Wraps a fabric8 failure.
     *
     * @param what what Paver tried, as a verb phrase, e.g. {@code create RoleBinding x in y}
     */
    public static ClusterRequestException of(String what, KubernetesClientException e) {
        int code = e.getCode();
        if (code > 0) {
            Status status = e.getStatus();
            String reason = status != null && status.getMessage() != null && !status.getMessage().isBlank()
                    ? status.getMessage() : "HTTP " + code;
            return new ClusterRequestException("the API server refused to " + what + ": " + reason, code, e);
        }
        return new ClusterRequestException("could not reach the API server to " + what + ": " + rootMessage(e), 0, e);
    }

    /** The HTTP status the API server answered with (403 forbidden, 409 conflict, 422 invalid...); 0 when it did not answer. */
    public int code() {
        return code;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
