package dev.paver.slack;

import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.view.View;
import dev.paver.core.approval.Approvals;
import dev.paver.core.run.Home;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's App Home: the requests waiting for their approval, their recent runs, their active elevations
 * ("app_home_opened" event, docs.slack.dev). Acks every {@code app_home_opened} event at once; when the Home tab (not Messages) was opened,
 * publishes the view with {@code views.publish} after the ack, on the intake executor. {@link ApprovalButtons}
 * publishes it again after a vote cast from the Home tab.
 */
final class AppHome {

    private static final Logger LOG = LoggerFactory.getLogger(AppHome.class);

    private final Function<String, Home> home;
    private final Approvals approvals;
    private final IntakeExecutor executor;

    AppHome(Function<String, Home> home, Approvals approvals, IntakeExecutor executor) {
        this.home = home;
        this.approvals = approvals;
        this.executor = executor;
    }

    void register(App app) {
        app.event(AppHomeOpenedEvent.class, (req, ctx) -> {
            String userId = req.getEvent().getUser();
            if ("home".equals(req.getEvent().getTab())) {
                executor.execute(() -> publish(userId, ctx.client()));
            }
            return ctx.ack();
        });
    }

    /** Publishes {@code userId}'s App Home as it is now; a failure is logged, never thrown. */
    void publish(String userId, MethodsClient client) {
        try {
            View view = SlackRenderer.home(home.apply(userId), approvals);
            var published = client.viewsPublish(r -> r.userId(userId).view(view));
            if (!published.isOk()) {
                LOG.warn("views.publish for {} failed: {}", userId, published.getError());
            }
        } catch (Exception e) {
            LOG.warn("App Home of {} could not be published: {}", userId, e.getMessage());
        }
    }
}
