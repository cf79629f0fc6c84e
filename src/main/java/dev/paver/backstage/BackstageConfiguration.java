package dev.paver.backstage;

import dev.paver.config.InvalidSettingException;
import dev.paver.config.PaverProperties;
import dev.paver.core.action.ScaffolderPort;
import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPathSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Backstage adapter's beans, present only when {@code paver.backstage.url} is set: the catalog that domains,
 * systems, groups and users come from ({@link BackstageCatalog}), the catalog's Templates as golden paths
 * ({@link BackstageTemplates}) and the Scaffolder that runs them ({@link BackstageScaffolder}, {@code backstage:task}).
 *
 * <p>Each is decided when the context starts, not by a condition: without the URL its method returns null, which Spring
 * keeps as no bean ({@code ObjectProvider#getIfAvailable} gives null, streams leave it out). A condition would be
 * frozen by Spring's ahead-of-time processing, which the image runs with ({@code deploy/Dockerfile}): a build made
 * without the URL would then ignore it in every deployment.
 */
@Configuration(proxyBeanMethods = false)
public class BackstageConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BackstageConfiguration.class);

    /**
     * Backstage's catalog, or null (no bean) without {@code paver.backstage.url}. Nothing is asked of Backstage here;
     * the token file is read.
     *
     * @throws InvalidSettingException when {@code paver.backstage.url} is not an http(s) URL, the token file is not set,
     *                                 missing, unreadable or empty ({@link TokenFile}), or {@code catalog-refresh} or
     *                                 {@code timeout} is under a second
     */
    @Bean
    CatalogEntities backstageCatalog(PaverProperties properties) {
        PaverProperties.Backstage settings = properties.backstage();
        if (!settings.enabled()) {
            return null;
        }
        BackstageCatalog catalog = new BackstageCatalog(api(settings));
        LOG.info("domains, systems, groups and users come from the catalog of {}, asked every {}", catalog.describe(),
                settings.catalogRefresh());
        return catalog;
    }

    /**
     * Backstage's Scaffolder, which runs the {@code backstage:task} steps of golden paths that are Backstage's
     * Templates; null (no bean) without {@code paver.backstage.url}. Nothing is asked of Backstage here.
     *
     * @throws InvalidSettingException as {@link #backstageCatalog} does
     */
    @Bean
    ScaffolderPort backstageScaffolder(PaverProperties properties) {
        if (!properties.backstage().enabled()) {
            return null;
        }
        return new BackstageScaffolder(new ScaffolderTasks(api(properties.backstage())));
    }

    /**
     * The catalog's Templates tagged {@code paver.backstage.template-tag}, golden paths run as Scaffolder tasks; null
     * (no bean) without {@code paver.backstage.url}. Nothing is asked of Backstage here: the catalog of golden paths
     * reads them at start-up.
     *
     * @throws InvalidSettingException as {@link #backstageCatalog} does, or when the tag is blank
     */
    @Bean
    GoldenPathSource backstageTemplates(PaverProperties properties) {
        if (!properties.backstage().enabled()) {
            return null;
        }
        String tag = properties.backstage().templateTag();
        if (tag == null || tag.isBlank()) {
            throw new InvalidSettingException("paver.backstage.template-tag is empty: give the tag of the Templates "
                    + "that are golden paths in Slack, or leave it unset for 'paver'");
        }
        return new BackstageTemplates(api(properties.backstage()), tag.strip());
    }

    /** The API client of the configured backend. */
    static BackstageApi api(PaverProperties.Backstage settings) {
        URI url = url(settings.url());
        atLeastOneSecond("paver.backstage.catalog-refresh", settings.catalogRefresh());
        atLeastOneSecond("paver.backstage.timeout", settings.timeout());
        return new BackstageApi(url, new TokenFile(settings.tokenFile()), settings.timeout());
    }

    private static URI url(String text) {
        try {
            URI url = new URI(text.strip());
            if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
                    || url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
                throw new URISyntaxException(text, "not an http(s) URL of a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw new InvalidSettingException("paver.backstage.url (PAVER_BACKSTAGE_URL) is '" + text + "', which is not "
                    + "the http(s) URL of a Backstage backend: give its base URL, e.g. https://backstage.example.com", e);
        }
    }

    private static void atLeastOneSecond(String key, Duration value) {
        if (value == null || value.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException(key + " is " + value + ": it must be at least 1s; leave it unset for "
                    + "Paver's default");
        }
    }
}
