package dev.paver.kustomize;

import dev.paver.config.PaverProperties;
import dev.paver.core.convention.OverlayBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the conventions gate builds a GitOps repository's overlays. */
@Configuration(proxyBeanMethods = false)
public class KustomizeConfiguration {

    /**
     * {@code paver.conventions.kustomize-command}, else the first kustomize found ({@code kustomize build},
     * {@code kubectl kustomize}), else the built-in view.
     */
    @Bean
    OverlayBuilder overlayBuilder(PaverProperties properties) {
        return KustomizeOverlays.detect(properties.conventions().kustomizeCommand(),
                properties.conventions().kustomizeTimeoutOrDefault());
    }
}
