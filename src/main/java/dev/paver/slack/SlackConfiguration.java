package dev.paver.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import dev.paver.config.PaverProperties;
import dev.paver.config.PolicyFactory;
import dev.paver.config.SlackSecrets;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.GrantStore;
import dev.paver.core.access.IdentityPort;
import dev.paver.core.action.Extensions;
import dev.paver.core.action.Revocations;
import dev.paver.core.approval.Approvals;
import dev.paver.core.approval.Directory;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.audit.AuditTrail;
import dev.paver.core.convention.Conventions;
import dev.paver.core.report.Notifier;
import dev.paver.core.report.OnceNotifier;
import dev.paver.core.report.PostLog;
import dev.paver.core.run.Home;
import dev.paver.core.run.Intake;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunFinder;
import dev.paver.core.run.RunStore;
import dev.paver.core.run.Foreground;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Slack ({@code paver.slack.*}): the Web API client, the messages Paver posts, who people are, and the Bolt app
 * that receives commands, forms and buttons over HTTP ({@code /slack/events}) or Socket Mode.
 */
@Configuration(proxyBeanMethods = false)
public class SlackConfiguration {

    /**
     * The one Web API client of the process: every {@code MethodsClient} made from it, Bolt's {@code ctx.client()}
     * included (the app is given this instance), goes through {@link SlackRateLimits} on the shared HTTP client.
     */
    @Bean
    Slack slack(PaverProperties properties, MeterRegistry registry, SlackConnection connection) {
        SlackConfig config = new SlackConfig();
        String url = properties.slack().apiUrl();
        config.setMethodsEndpointUrlPrefix(url.endsWith("/") ? url : url + "/");
        config.setPrettyResponseLoggingEnabled(false);
        return SlackRateLimits.slack(config, limits(properties.slack().rateLimits()), registry, connection);
    }

    /**
     * Slack's verdict on the bot token and the Socket Mode connection: the health indicator {@code slack}, part of
     * readiness.
     */
    @Bean
    SlackConnection slackHealthIndicator() {
        return new SlackConnection();
    }

    /** {@code paver.slack.rate-limits.*}; figures that cannot be a rate stop the start with a message naming the keys. */
    static SlackRateLimits.Limits limits(PaverProperties.RateLimits limits) {
        return new SlackRateLimits.Limits(limits.channelMessagesPerSecond(), limits.channelBurst(), limits.methodRateFactor(),
                limits.maxWait(), limits.retries());
    }

    /** Each message once, across restarts: {@link OnceNotifier} over {@link SlackNotifier} with the posts' record. */
    @Bean
    Notifier notifier(Slack slack, PaverProperties properties, PostLog posts, Clock clock) {
        return new OnceNotifier(new SlackNotifier(slack.methods(properties.slack().botToken())), posts, clock);
    }

    @Bean
    Directory directory(Slack slack, PaverProperties properties, Clock clock) {
        return new SlackDirectory(slack.methods(properties.slack().botToken()), clock);
    }

    @Bean
    IdentityPort identities(Slack slack, PaverProperties properties) {
        return new SlackIdentity(slack.methods(properties.slack().botToken()), PolicyFactory.identities(properties.identity()));
    }

    @Bean
    SlackListeners slackListeners(Intake intake, PaverProperties properties, Approvals approvals, GrantStore grants,
                                  RunStore runs, AuditLog audit, Conventions conventions, RunEngine engine, Clock clock,
                                  SeenRequests seenRequests, AccessPort access, Directory directory) {
        return new SlackListeners(intake, properties.slack().command(), new SlackListeners.Decisions(approvals,
                new Extensions(grants, runs, approvals, audit, clock), new AuditTrail(audit, conventions, user -> properties.audit().readers().isEmpty()
                || directory.isMemberOfAny(user, properties.audit().readers())),
                user -> Home.of(user, approvals, runs, grants, clock.instant()), engine::schedule, engine,
                new RunFinder(runs, conventions),
                new Revocations(grants, access, approvals.policy(), audit, conventions, clock, engine::wake), clock),
                new Replays(seenRequests, Clock.systemUTC()));
    }

    /**
     * Bolt, with every request marked on {@code foreground} while it is handled: in Socket Mode, where no HTTP filter
     * sees it, runs then also leave the processors to the acknowledgement (in HTTP mode {@link SlackRequestFilter}
     * marks it from before its checks). Every line logged meanwhile on the request's thread carries its Slack user and
     * channel ({@link SlackLogFields}).
     */
    @Bean
    App slackApp(Slack slack, PaverProperties properties, SlackListeners listeners, Foreground foreground) {
        AppConfig config = AppConfig.builder().slack(slack)
                .signingSecret(SlackSecrets.signingSecret(properties.slack()))
                // SlackRequestFilter verifies every request to /slack/events (the only way to Bolt in HTTP mode) over the
                // body's bytes; Bolt's own check would hash it again, re-encoded in the JVM's default charset
                .requestVerificationEnabled(false)
                .singleTeamBotToken(properties.slack().botToken())
                // how old Slack's verdict on the token may grow before a request asks auth.test again (SlackConnection)
                .authTestCacheExpirationMillis(properties.slack().recheck().toMillis())
                .build();
        App app = new App(config);
        app.use((request, response, chain) -> {
            foreground.enter();
            try (SlackLogFields tagged = SlackLogFields.of(request)) {
                return chain.next(request);
            } finally {
                foreground.leave();
            }
        });
        listeners.register(app);
        return app;
    }

    /** HTTP mode: {@code /slack/events}. Off in Socket Mode without a signing secret (nothing could be verified). */
    @Bean
    ServletRegistrationBean<SlackAppServlet> slackEvents(App slackApp, PaverProperties properties) {
        ServletRegistrationBean<SlackAppServlet> registration = new ServletRegistrationBean<>(new SlackAppServlet(slackApp),
                "/slack/events");
        registration.setEnabled(SlackSecrets.signingSecret(properties.slack()) != null);
        return registration;
    }

    /**
     * HTTP mode: the checks in front of Bolt on {@code /slack/events} (one signature and timestamp header, five
     * minutes either way, the signature, no replay, no Events API retry); on whenever the endpoint is.
     */
    @Bean
    FilterRegistrationBean<SlackRequestFilter> slackRequestChecks(PaverProperties properties, SeenRequests seenRequests,
                                                                  Foreground foreground, MeterRegistry registry) {
        String secret = SlackSecrets.signingSecret(properties.slack());
        FilterRegistrationBean<SlackRequestFilter> registration = new FilterRegistrationBean<>(
                new SlackRequestFilter(secret, seenRequests, Clock.systemUTC(), foreground, registry));
        registration.addUrlPatterns("/slack/events");
        registration.setEnabled(secret != null);
        return registration;
    }
}
