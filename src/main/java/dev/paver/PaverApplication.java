package dev.paver;

import dev.paver.backstage.BackstageConfiguration;
import dev.paver.cli.AuditExport;
import dev.paver.cli.CdsTraining;
import dev.paver.cli.TemplatesCheck;
import dev.paver.cli.Validate;
import dev.paver.git.GitConfiguration;
import dev.paver.kubernetes.KubernetesConfiguration;
import dev.paver.kustomize.KustomizeConfiguration;
import dev.paver.metrics.MetricsConfiguration;
import dev.paver.slack.SlackConfiguration;
import dev.paver.store.StoreConfiguration;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Import;

/** Paver's server: Slack intake, run engine, git and Argo CD followers. {@code java -jar paver.jar}. */
/*
 * Only the wiring package is scanned (CoreConfiguration); each adapter's configuration is imported by name, and every
 * bean is built explicitly in one of them.
 */
@SpringBootApplication(scanBasePackages = "dev.paver.config")
@ConfigurationPropertiesScan("dev.paver.config")
@Import({SlackConfiguration.class, GitConfiguration.class, KubernetesConfiguration.class, KustomizeConfiguration.class,
        StoreConfiguration.class, MetricsConfiguration.class, BackstageConfiguration.class})
public class PaverApplication {

    /**
     * Starts the server; arguments are Spring Boot's ({@code --server.port=9090}). {@code audit-export ...} writes the
     * audit log as JSON lines instead ({@link AuditExport}); {@code validate <dir> ...} runs the
     * conventions gate on a GitOps repository folder, without starting Spring ({@link Validate});
     * {@code templates check [dir]} lists why templates do not load, without starting Spring either
     * ({@link TemplatesCheck}); {@code cds-training} is the training run of the class data sharing archive or
     * ahead-of-time cache that {@code deploy/cds-archive.sh} builds ({@link CdsTraining}).
     */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("audit-export")) {
            System.exit(AuditExport.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && args[0].equals("validate")) {
            Validate.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("templates")) {
            TemplatesCheck.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("cds-training")) {
            System.exit(CdsTraining.run(PaverApplication.class, Arrays.copyOfRange(args, 1, args.length)));
        }
        SpringApplication.run(PaverApplication.class, args);
    }
}
