package dev.paver.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Decides whether a cluster is configured: {@code paver.kubernetes.enabled} true/false, or auto-detection. */
public final class KubernetesDetection {

    private KubernetesDetection() {
    }

    /**
     * @param setting {@code true}, {@code false} or {@code auto}: on when running in a pod (service account
     *                environment) or when a kubeconfig exists ({@code KUBECONFIG} or {@code ~/.kube/config})
     */
    public static boolean enabled(String setting) {
        if ("true".equalsIgnoreCase(setting)) {
            return true;
        }
        if ("false".equalsIgnoreCase(setting)) {
            return false;
        }
        if (!"auto".equalsIgnoreCase(setting)) {
            throw new IllegalStateException("paver.kubernetes.enabled must be true, false or auto, not '" + setting + "'");
        }
        if (System.getenv("KUBERNETES_SERVICE_HOST") != null) {
            return true;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig != null && !kubeconfig.isBlank()) {
            return Files.exists(Path.of(kubeconfig.split(File.pathSeparator)[0]));
        }
        return Files.exists(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }
}
