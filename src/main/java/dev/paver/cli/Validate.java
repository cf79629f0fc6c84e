package dev.paver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paver.config.ConventionsFactory;
import dev.paver.core.convention.Conventions;
import dev.paver.config.PaverProperties;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.kustomize.KustomizeOverlays;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.Violation;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code java -jar paver.jar validate <dir> [--format line|json] [--strict] [--domain <name>] [--config <file>]}: the
 * conventions gate
 * that runs in every create-service run, on a folder holding a domain GitOps repository (CONVENTIONS.md, "The domain
 * GitOps repository"): the rules of {@link ManifestRules} with the schema check of {@link KubernetesSchemas}, under
 * the default conventions ({@link Conventions#defaults()}, the server's defaults too), or those of
 * {@code paver.conventions.*} in a Paver configuration file given with {@code --config}. Starts no Spring context and
 * needs no settings.
 *
 * <p>Reads every {@code .yaml} and {@code .yml} file below the folder ({@code .git/} left out). Writes one line per
 * violation to standard output, {@code file:line: rule: message} (file relative to the folder, {@code :line} left out
 * when unknown), or with {@code --format json} one JSON array of {@code {"file","line","rule","message"}} objects
 * ({@code line} null when unknown); a summary goes to standard error.
 *
 * <p>Exit codes: 0 when everything follows the conventions, 1 when something does not, 2 when the input is unusable
 * (no folder, not a folder, a file that cannot be read or is not UTF-8, no YAML file at all, an unknown flag), with
 * the reason and what to do on standard error.
 */
public final class Validate {

    /** Everything holds. */
    public static final int VALID = 0;
    /** At least one violation. */
    public static final int VIOLATIONS = 1;
    /** The command could not check anything: a bad argument or an unreadable folder. */
    public static final int UNUSABLE = 2;

    static final String USAGE = """
            usage: java -jar paver.jar validate <dir> [--format line|json] [--strict] [--domain <name>] [--config <file>]
                                          [--kustomize <command>]

            Checks a domain GitOps repository against the platform conventions: names against the semantic key
            {domain}-{env}-{service}, the nine labels, requests and limits, no plain Secret, no latest image in
            production, claims, SealedSecrets and group access, and every manifest against the schema of its kind
            (Kubernetes %s, SealedSecret, Argo CD, the platform's Crossplane resources).

              <dir>            the repository folder, e.g. a checkout of payments-gitops
              --format line    one line per violation: file:line: rule: message (the default)
              --format json    a JSON array of {"file", "line", "rule", "message"}
              --strict         also reject fields that a kind's schema does not declare (kubeconform -strict)
              --domain <name>  the repository's domain; default: the folder's name without -gitops, else the
                               platform/domain label of each overlay's Namespace
              --config <file>  a Paver configuration file (application.yml or .properties) whose
                               paver.conventions.* (environments, profiles, resources, ...) replace the defaults
              --help           this text

            Exit codes: 0 valid, 1 violations, 2 unusable input (the reason is on standard error).
            """.formatted(KubernetesSchemas.KUBERNETES_VERSION);

    private static final ObjectMapper JSON = new ObjectMapper();

    private Validate() {
    }

    /** The command line entry point: quiet library logging, then {@link #run}, then exit with its code. */
    public static void main(String[] args) {
        QuietLogging.warningsToStandardError();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code validate}
     * @param out  where violations (or the usage, for {@code --help}) are written
     * @param err  where the summary and the reason for exit code 2 are written
     * @return {@link #VALID}, {@link #VIOLATIONS} or {@link #UNUSABLE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String format = "line";
        boolean strict = false;
        String domain = null;
        Path config = null;
        String kustomize = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            if (arg.startsWith("--") && arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
                arg = arg.substring(0, arg.indexOf('='));
            }
            switch (arg) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return VALID;
                }
                case "--strict" -> {
                    if (value != null) {
                        return unusable(err, "--strict takes no value");
                    }
                    strict = true;
                }
                case "--format", "--domain", "--config", "--kustomize" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            return unusable(err, arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (arg.equals("--format")) {
                        if (!value.equals("line") && !value.equals("json")) {
                            return unusable(err, "--format is line or json, not " + Names.quote(value));
                        }
                        format = value;
                    } else if (arg.equals("--config")) {
                        config = Path.of(value);
                    } else if (arg.equals("--kustomize")) {
                        if (value.isBlank()) {
                            return unusable(err, "--kustomize needs a command, e.g. \"kubectl kustomize\", or builtin");
                        }
                        kustomize = value;
                    } else {
                        if (!Names.isDnsLabel(value)) {
                            return unusable(err, "--domain " + Names.quote(value) + " is not a domain name (a DNS-1123 label, e.g. payments)");
                        }
                        domain = value;
                    }
                }
                default -> {
                    if (arg.startsWith("-")) {
                        return unusable(err, "unknown flag " + arg);
                    }
                    if (dir != null) {
                        return unusable(err, "one folder at a time: " + dir + " and " + arg);
                    }
                    dir = Path.of(arg);
                }
            }
        }
        if (dir == null) {
            return unusable(err, "which folder? give the GitOps repository's folder, e.g. validate payments-gitops");
        }
        if (!Files.exists(dir)) {
            return unusable(err, dir + " does not exist: give the folder of a GitOps repository checkout");
        }
        if (!Files.isDirectory(dir)) {
            return unusable(err, dir + " is not a folder: give the repository's folder, not one of its files");
        }
        Conventions conventions = Conventions.defaults();
        Duration timeout = Duration.ofSeconds(30);
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                return unusable(err, "--config " + config + " is not a file: give Paver's configuration file, e.g. application.yml");
            }
            try {
                conventions = ConventionsFactory.fromFile(config);
                PaverProperties.ConventionsConfig settings = ConventionsFactory.configFromFile(config);
                if (kustomize == null && settings != null) {
                    kustomize = settings.kustomizeCommand();
                    timeout = settings.kustomizeTimeoutOrDefault();
                }
            } catch (IllegalArgumentException e) {
                return unusable(err, "--config " + e.getMessage());
            }
        }
        Map<String, String> files;
        try {
            files = readYaml(dir);
        } catch (Unreadable e) {
            return unusable(err, e.getMessage());
        }
        long yamlFiles = files.keySet().stream().filter(Validate::isYaml).count();
        if (yamlFiles == 0) {
            return unusable(err, "no .yaml or .yml file under " + dir + ": is it the GitOps repository's folder?");
        }
        if (kustomize == null) {
            kustomize = System.getenv("PAVER_CONVENTIONS_KUSTOMIZE_COMMAND");
        }
        OverlayBuilder overlays = KustomizeOverlays.detect(kustomize, timeout);
        if (domain == null) {
            domain = domainOf(dir, conventions);
        }
        List<Violation> violations = new ManifestRules(conventions, new KubernetesSchemas(strict), overlays)
                .check(files, domain);
        if (format.equals("json")) {
            ArrayNode array = JSON.createArrayNode();
            for (Violation v : violations) {
                ObjectNode node = array.addObject().put("file", v.file());
                if (v.line() > 0) {
                    node.put("line", v.line());
                } else {
                    node.putNull("line");
                }
                node.put("rule", v.rule()).put("message", v.message());
            }
            out.println(array.toString());
        } else {
            violations.forEach(v -> out.println(v.describe().replace('\n', ' ').replace('\r', ' ')));
        }
        out.flush();
        err.println("validate: " + yamlFiles + (yamlFiles == 1 ? " file" : " files") + " checked"
                + (strict ? " (strict)" : "") + ", " + (violations.isEmpty() ? "no violations"
                : violations.size() + (violations.size() == 1 ? " violation" : " violations")));
        return violations.isEmpty() ? VALID : VIOLATIONS;
    }

    /** The domain a folder named {@code {domain}-gitops} is the repository of, or null. */
    static String domainOf(Path dir, Conventions conventions) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String folder = name == null ? "" : name.toString();
        String suffix = conventions.gitopsRepositorySuffix();
        if (suffix.isEmpty() || !folder.endsWith(suffix)) {
            return null;
        }
        String domain = folder.substring(0, folder.length() - suffix.length());
        return Names.isDnsLabel(domain) ? domain : null;
    }

    private static boolean isYaml(String path) {
        return path.endsWith(".yaml") || path.endsWith(".yml");
    }

    /**
     * Every {@code .yaml}/{@code .yml} file below {@code dir}, by path relative to it with {@code /} separators, and
     * the other UTF-8 text files of at most 1 MB, which a kustomization's generators may read ({@code .git/} left out).
     */
    private static Map<String, String> readYaml(Path dir) throws Unreadable {
        Map<String, String> files = new TreeMap<>();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return d.getFileName() != null && d.getFileName().toString().equals(".git") && !d.equals(dir)
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String name = file.getFileName().toString();
                    String relative = dir.relativize(file).toString().replace('\\', '/');
                    if (attrs.isRegularFile() && isYaml(name)) {
                        files.put(relative, readUtf8(file, relative));
                    } else if (attrs.isRegularFile() && attrs.size() <= 1024 * 1024) {
                        try {
                            files.put(relative, readUtf8(file, relative));
                        } catch (UnreadableFile notText) {
                            // not text, so no kustomization reads it as a generator's source
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    throw e;
                }
            });
        } catch (UnreadableFile e) {
            throw new Unreadable(e.getMessage());
        } catch (IOException e) {
            throw new Unreadable("cannot read " + e.getMessage() + " (" + e.getClass().getSimpleName()
                    + "): check that the folder and its files are readable");
        }
        return files;
    }

    private static String readUtf8(Path file, String relative) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new UnreadableFile(relative + " is not UTF-8 text: save it as UTF-8");
        }
    }

    private static int unusable(PrintStream err, String reason) {
        err.println("validate: " + reason);
        err.println("usage: java -jar paver.jar validate <dir> [--format line|json] [--strict] [--domain <name>]"
                + " (--help for more)");
        return UNUSABLE;
    }

    /** A reason the folder cannot be checked. */
    private static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    /** A file that is not UTF-8, raised from inside the file walk. */
    private static final class UnreadableFile extends IOException {
        UnreadableFile(String message) {
            super(message);
        }
    }
}
