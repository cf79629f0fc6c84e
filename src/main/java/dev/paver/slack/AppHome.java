package dev.paver.slack;

import com.slack.api.bolt.App;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.AppHomeOpenedEvent;
import com.slack.api.model.view.View;
import com.slack.api.model.block.LayoutBlock;
import dev.paver.core.approval.ApprovalRequest;
import dev.paver.core.approval.ApprovalState;
import dev.paver.core.approval.Approvals;
import dev.paver.core.approval.DecisionListener;
import dev.paver.core.run.Home;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunListener;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A user's App Home: the requests waiting for their approval, their recent runs, their active elevations
 * ("app_home_opened" event, docs.slack.dev). Acks every {@code app_home_opened} event at once; when the Home tab (not
 * Messages) was opened, publishes the view with {@code views.publish} after the ack, on the intake executor.
 *
 * <p>A Home tab opened since Paver started is kept current: when one of the person's runs starts, does a step or
 * ends ({@link RunListener}), their tab is published again; when an approval request is opened or decided
 * ({@link DecisionListener}), every such tab is (whoever may decide it sees it appear or go). Changes are coalesced
 * per person: one {@code views.publish} {@value #SETTLE_MS} ms after the first change (the run has reached its next
 * state by then), and none when the view is the one published last. {@link ApprovalButtons} publishes it again after a
 * vote cast from the Home tab.
 */
final class AppHome implements RunListener, DecisionListener, AutoCloseable {

    /** How long after a change a tab is published again: the changes of that time go in one {@code views.publish}. */
    static final long SETTLE_MS = 1500;

    private static final Logger LOG = LoggerFactory.getLogger(AppHome.class);

    private final Function<String, Home> home;
    private final Approvals approvals;
    private final IntakeExecutor executor;
    /** The blocks last published, by user id: the people whose tab is kept current. */
    private final Map<String, List<LayoutBlock>> shown = new ConcurrentHashMap<>();
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService settle = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "paver-home");
        t.setDaemon(true);
        return t;
    });
    private volatile MethodsClient client;

    AppHome(Function<String, Home> home, Approvals approvals, IntakeExecutor executor) {
        this.home = home;
        this.approvals = approvals;
        this.executor = executor;
    }

    void register(App app) {
        client = app.client();
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
        publish(userId, client, true);
    }

    private void publish(String userId, MethodsClient client, boolean evenIfUnchanged) {
        try {
            View view = SlackRenderer.home(home.apply(userId), approvals);
            if (!evenIfUnchanged && view.getBlocks().equals(shown.get(userId))) {
                return;
            }
            var published = client.viewsPublish(r -> r.userId(userId).view(view));
            if (published.isOk()) {
                shown.put(userId, view.getBlocks());
            } else {
                LOG.warn("views.publish for {} failed: {}", userId, published.getError());
            }
        } catch (Exception e) {
            LOG.warn("App Home of {} could not be published: {}", userId, e.getMessage());
        }
    }

    /** Publishes {@code userId}'s tab again {@link #SETTLE_MS} ms from now, once for the changes until then. */
    private void refresh(String userId) {
        MethodsClient methods = client;
        if (methods == null || !shown.containsKey(userId) || !pending.add(userId)) {
            return;
        }
        try {
            settle.schedule(() -> executor.execute(() -> {
                pending.remove(userId);
                publish(userId, methods, false);
            }), SETTLE_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            pending.remove(userId);
        }
    }

    @Override
    public void started(RunRequest request) {
        refresh(request.requester());
    }

    @Override
    public void stepDone(Run run, String action, Instant doneAt) {
        refresh(run.request().requester());
    }

    @Override
    public void finished(RunRequest request, RunState ending) {
        refresh(request.requester());
    }

    @Override
    public void asked(ApprovalRequest request) {
        shown.keySet().forEach(this::refresh);
    }

    @Override
    public void decided(ApprovalRequest request, ApprovalState decision, Instant at) {
        shown.keySet().forEach(this::refresh);
    }

    /** Stops publishing again; what is scheduled is dropped (the next opening publishes the tab). */
    @Override
    public void close() {
        settle.shutdownNow();
    }
}
