package dev.paver.cli;

import dev.paver.config.BuiltInActions;
import dev.paver.config.ConventionsFactory;
import dev.paver.config.TemplatesLocation;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.PlatformValues;
import dev.paver.core.goldenpath.TemplateProblem;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * {@code java -jar paver.jar templates check [dir] [--config <file>]}: loads the golden paths as the server does at
 * start-up ({@link GoldenPathCatalog#load(Path, java.util.Set, PlatformValues)} against Paver's own actions,
 * {@link BuiltInActions#ids()}, and the platform lists of {@code --config}'s file or the defaults) and
 * lists every problem of every template, one line each, {@code file:line: message} ({@code :line} left out when
 * unknown), on standard output; a summary on standard error. Starts no Spring context and needs no settings.
 *
 * <p>The folder: {@code dir} when given; else where the server finds templates ({@link TemplatesLocation}):
 * {@code PAVER_TEMPLATES_DIR} (or the system property {@code paver.templates.dir}), else {@code ./templates}, else
 * the templates inside the jar. Actions that a deployment adds as Spring beans are unknown here: a template that uses
 * one is reported as using an action that is not registered.
 *
 * <p>Exit codes: 0 when every template loads, 1 when some do not, 2 for a usage error (an unknown flag, two folders,
 * a folder that does not exist), with the reason on standard error.
 */
public final class TemplatesCheck {

    /** Every template loads. */
    public static final int VALID = 0;
    /** Some template does not load. */
    public static final int PROBLEMS = 1;
    /** The command could not check anything. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: java -jar paver.jar templates check [dir] [--config <file>]

            Loads the golden paths as Paver does at start-up and lists every problem of every template (not YAML,
            not a scaffolder.backstage.io/v1beta3 Template, a bad metadata.name or one used twice, a bad parameter
            schema, a step without id or action, an action Paver does not have), as file:line: message.

              dir     the templates folder, one sub-folder per golden path with its template.yaml; default: where
                      the server finds them (PAVER_TEMPLATES_DIR, else ./templates, else those inside the jar)
              --config <file>  a Paver configuration file (application.yml or .properties) whose profiles,
                      environments, resource types and roles (paver.conventions.*, paver.access.roles.*) fill the
                      templates' paver:enum lists; default: the documented defaults
              --help  this text

            Exit codes: 0 every template loads, 1 some do not, 2 usage error.
            """;

    private TemplatesCheck() {
    }

    /** The command line entry point: quiet library logging, then {@link #run}, then exit with its code. */
    public static void main(String[] args) {
        QuietLogging.warningsToStandardError();
        System.exit(run(args, System.out, System.err, System::getenv));
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code templates}: {@code check [dir]}
     * @param env  the environment ({@code PAVER_TEMPLATES_DIR})
     * @return {@link #VALID}, {@link #PROBLEMS} or {@link #USAGE}
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Function<String, String> env) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(USAGE_TEXT);
            return VALID;
        }
        if (args.length == 0 || !args[0].equals("check")) {
            return usage(err, args.length == 0 ? "which command? templates check [dir]"
                    : "unknown command templates " + args[0] + ": the command is templates check [dir]");
        }
        String dir = null;
        String config = null;
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE_TEXT);
                return VALID;
            }
            if (arg.equals("--config")) {
                if (i + 1 >= args.length || config != null) {
                    return usage(err, config != null ? "--config is given twice" : "--config needs a file: Paver's configuration, e.g. application.yml");
                }
                config = args[++i];
                continue;
            }
            if (arg.startsWith("-")) {
                return usage(err, "unknown flag " + arg);
            }
            if (dir != null) {
                return usage(err, "one folder at a time: " + dir + " and " + arg);
            }
            dir = arg;
        }
        Path folder;
        try {
            if (dir != null) {
                Path given = Path.of(dir);
                if (!Files.isDirectory(given)) {
                    return usage(err, dir + (Files.exists(given) ? " is not a folder" : " does not exist")
                            + ": give the templates folder, one sub-folder per golden path");
                }
                folder = given.toAbsolutePath().normalize();
            } else {
                String configured = System.getProperty("paver.templates.dir", env.apply("PAVER_TEMPLATES_DIR"));
                folder = TemplatesLocation.resolve(configured);
            }
        } catch (IllegalStateException | InvalidPathException e) {
            return usage(err, e.getMessage());
        }
        PlatformValues platform = PlatformValues.defaults();
        if (config != null) {
            if (!Files.isRegularFile(Path.of(config))) {
                return usage(err, "--config " + config + " is not a file: give Paver's configuration file, e.g. application.yml");
            }
            try {
                platform = ConventionsFactory.platformValuesFromFile(Path.of(config));
            } catch (IllegalArgumentException e) {
                return usage(err, e.getMessage());
            }
        }
        GoldenPathCatalog catalog = GoldenPathCatalog.load(folder, BuiltInActions.ids(), platform);
        for (TemplateProblem problem : catalog.problems()) {
            out.println(problem.describe().replace('\n', ' ').replace('\r', ' '));
        }
        out.flush();
        err.println("templates check: " + folder + ": " + plural(catalog.all().size(), "golden path") + " load"
                + (catalog.all().size() == 1 ? "s" : "") + " " + catalog.all().stream().map(GoldenPath::id).toList()
                + (catalog.problems().isEmpty() ? ", no problems"
                : "; " + plural(catalog.turnedOff().size(), "template") + " do" + (catalog.turnedOff().size() == 1 ? "es" : "")
                + " not load " + catalog.turnedOff() + ", " + plural(catalog.problems().size(), "problem")));
        return catalog.problems().isEmpty() ? VALID : PROBLEMS;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static int usage(PrintStream err, String reason) {
        err.println("templates: " + reason);
        err.println("usage: java -jar paver.jar templates check [dir] (--help for more)");
        return USAGE;
    }
}
