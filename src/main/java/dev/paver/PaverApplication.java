package dev.paver;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Paver's server: Slack intake, run engine, git and Argo CD followers. {@code java -jar paver.jar}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PaverApplication {

    public static void main(String[] args) {
        SpringApplication.run(PaverApplication.class, args);
    }
}
