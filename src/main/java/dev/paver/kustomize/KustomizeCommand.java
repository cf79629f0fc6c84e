package dev.paver.kustomize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kustomize that Paver can run: the command that builds a directory when the directory is appended
 * ({@code kustomize build}, {@code kubectl kustomize}), and its version.
 *
 * @param command the program and its arguments, e.g. {@code [kubectl, kustomize]}; never passed to a shell
 * @param version kustomize's version as it reports it, e.g. {@code v5.5.0}, or "" when it did not say
 */
public record KustomizeCommand(List<String> command, String version) {

    /** The setting's value that turns the real kustomize off: the built-in view builds overlays. */
    public static final String BUILT_IN = "builtin";
    /** The oldest kustomize major version the gate uses: older ones refuse {@code patches:} and {@code labels:}. */
    public static final int MINIMUM_MAJOR = 4;

    private static final Pattern KUBECTL_KUSTOMIZE = Pattern.compile("Kustomize Version:\\s*v?(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    public KustomizeCommand {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("a kustomize command names a program");
        }
    }

    /** {@code kubectl kustomize (kustomize v5.5.0)}: how logs and summaries name it. */
    public String describe() {
        return String.join(" ", command) + (version.isEmpty() ? " (version unknown)" : " (kustomize " + version + ")");
    }

    /** The major version, or -1 when unknown. */
    public int major() {
        Matcher m = VERSION.matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * What {@link #detect} found: a command, or none with the reason.
     *
     * @param command the kustomize to use, when one was found
     * @param reason  why none is used ("" when one is), e.g. that none is on the PATH
     */
    public record Detection(Optional<KustomizeCommand> command, String reason) {
    }

    /**
     * Finds the kustomize to run.
     *
     * @param configured {@code paver.conventions.kustomize-command}: a program and its arguments separated by blanks
     *                   (e.g. {@code /usr/local/bin/kustomize build}), {@value #BUILT_IN} for none, or null/blank to
     *                   try {@code kustomize build}, then {@code kubectl kustomize}
     * @param timeout    how long asking a program for its version may take
     * @return the first usable command, version {@value #MINIMUM_MAJOR} or newer (a configured command whose version
     *         cannot be read is used as it is); none, with the reason, otherwise
     */
    public static Detection detect(String configured, Duration timeout) {
        if (configured != null && configured.strip().equalsIgnoreCase(BUILT_IN)) {
            return new Detection(Optional.empty(), "paver.conventions.kustomize-command is " + BUILT_IN);
        }
        List<List<String>> candidates = new ArrayList<>();
        boolean explicit = configured != null && !configured.isBlank();
        if (explicit) {
            candidates.add(List.of(configured.strip().split("\\s+")));
        } else {
            candidates.add(List.of("kustomize", "build"));
            candidates.add(List.of("kubectl", "kustomize"));
        }
        List<String> reasons = new ArrayList<>();
        for (List<String> candidate : candidates) {
            Optional<String> version = version(candidate, timeout);
            String name = String.join(" ", candidate);
            if (version == null) {
                reasons.add(name + ": not found");
                continue;
            }
            KustomizeCommand command = new KustomizeCommand(candidate, version.orElse(""));
            if (command.major() >= MINIMUM_MAJOR || (explicit && command.major() < 0)) {
                return new Detection(Optional.of(command), "");
            }
            reasons.add(name + ": " + (version.isEmpty() ? "no kustomize version reported"
                    : "kustomize " + version.get() + " is older than v" + MINIMUM_MAJOR));
        }
        return new Detection(Optional.empty(), String.join("; ", reasons));
    }

    /**
     * Asks a candidate for kustomize's version: {@code kubectl version --client} for kubectl, else
     * {@code <program> version}.
     *
     * @return null when the program cannot be started; empty when it started but named no version
     */
    static Optional<String> version(List<String> candidate, Duration timeout) {
        String program = candidate.get(0);
        String base = Path.of(program).getFileName().toString().toLowerCase(Locale.ROOT);
        boolean kubectl = base.equals("kubectl") || base.equals("kubectl.exe");
        List<String> args = kubectl ? List.of(program, "version", "--client") : List.of(program, "version");
        Path output = null;
        try {
            output = Files.createTempFile("paver-kustomize-version", ".txt");
            Process process = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Matcher m = kubectl ? KUBECTL_KUSTOMIZE.matcher(text) : VERSION.matcher(text);
            return m.find() ? Optional.of("v" + m.group(1) + "." + m.group(2) + "." + m.group(3)) : Optional.empty();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file of a few bytes
                }
            }
        }
    }
}
