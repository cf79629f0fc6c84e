package dev.paver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Paver's server: Slack intake, run engine, git and Argo CD followers. {@code java -jar paver.jar}. */
/* Only the wiring package is scanned: every other bean is built explicitly in PaverConfiguration. */
@SpringBootApplication(scanBasePackages = "dev.paver.config")
@ConfigurationPropertiesScan("dev.paver.config")
public class PaverApplication {

    /** Starts the server; arguments are Spring Boot's ({@code --server.port=9090}). */
    public static void main(String[] args) {
        SpringApplication.run(PaverApplication.class, args);
    }
}
