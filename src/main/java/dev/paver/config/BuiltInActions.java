package dev.paver.config;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.access.AccessPort;
import dev.paver.core.access.GrantStore;
import dev.paver.core.access.IdentityPort;
import dev.paver.core.run.Action;
import dev.paver.core.action.ApprovalAction;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitReadyAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.BackstageTaskAction;
import dev.paver.core.action.CatalogRegisterAction;
import dev.paver.core.action.CatalogWriteAction;
import dev.paver.core.action.CheckFreeAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DebugLogAction;
import dev.paver.core.action.DecommissionAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.DescribeRepositoryAction;
import dev.paver.core.action.FetchPlainAction;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.FilesystemDeleteAction;
import dev.paver.core.action.FilesystemRenameAction;
import dev.paver.core.action.GitHubActionsDispatchAction;
import dev.paver.core.action.GitHubPagesEnableAction;
import dev.paver.core.action.GrantAccessAction;
import dev.paver.core.action.IdentityAction;
import dev.paver.core.action.MergePullRequestAction;
import dev.paver.core.action.NotificationSendAction;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.action.PromotionAction;
import dev.paver.core.action.ProvisioningPort;
import dev.paver.core.action.PublishGithubAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.RenderSealedSecretAction;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.action.RevokeAccessAction;
import dev.paver.core.action.RotateSealedSecretAction;
import dev.paver.core.action.ScaffolderPort;
import dev.paver.core.action.SyncApplicationAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.approval.Approvals;
import dev.paver.core.approval.MergePolicies;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Notifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Paver's own actions, the one list of them: the server registers these ({@link CoreConfiguration}), and
 * {@code java -jar paver.jar templates check} checks templates against their ids ({@link #ids()}) without starting
 * anything. Actions that a deployment adds as Spring beans are registered too, but only the server knows them.
 */
public final class BuiltInActions {

    private BuiltInActions() {
    }

    /**
     * What the actions act through.
     *
     * @param slowAfter   {@code paver.crossplane.slow-after}, a positive duration
     * @param failOnError {@code paver.crossplane.fail-on-error}
     * @param mergeReminder {@code paver.runs.merge-reminder}
     * @param abandonAfter  {@code paver.runs.abandon-after}
     * @param mergePolicies {@code paver.merge.policies}
     * @param checkInterval {@code paver.merge.check-interval}
     * @param notifier      the chat, for {@code notification:send}'s direct messages
     * @param scaffolder    Backstage's Scaffolder when {@code paver.backstage.url} is set, else null (no
     *                      {@code backstage:task})
     */
    public record Ports(TemplateRenderer renderer, ManifestRules rules, RepositoryPort repositories,
                        DeploymentPort deployments, Approvals approvals, AccessPort access, GrantStore grants,
                        AccessPolicy accessPolicy, AuditLog audit, IdentityPort identities, ProvisioningPort provisioning,
                        Duration slowAfter, boolean failOnError, Duration mergeReminder, Duration abandonAfter,
                        MergePolicies mergePolicies, Duration checkInterval, Notifier notifier,
                        ScaffolderPort scaffolder) {

        /** No ports at all: actions built from it only tell their id, and may not be executed. */
        static Ports none() {
            return new Ports(null, null, null, null, null, null, null, null, null, null, null, AwaitReadyAction.SLOW, false,
                    AwaitMergeAction.REMIND_AFTER, AwaitMergeAction.ABANDON_AFTER, MergePolicies.none("prod"),
                    AwaitMergeAction.CHECK_INTERVAL, null, null);
        }
    }

    /**
     * One instance of every built-in action, acting through {@code ports}; {@code backstage:task} only with a
     * {@link Ports#scaffolder()}.
     */
    public static List<Action> create(Ports ports) {
        RepositoryPort repositories = ports.repositories();
        List<Action> actions = new ArrayList<>(List.of(new FetchTemplateAction(ports.renderer()), new ValidateConventionsAction(ports.rules()),
                new CheckFreeAction(repositories), new CreateRepositoryAction(repositories),
                new DescribeRepositoryAction(repositories),
                new PreviewAction(repositories), new PublishPullRequestAction(repositories),
                new AwaitMergeAction(repositories, ports.mergeReminder(), ports.abandonAfter(),
                        ports.mergePolicies(), ports.checkInterval(), ports.audit()), new AwaitSyncAction(ports.deployments(), repositories),
                new PromotionAction(repositories), new DecommissionAction(repositories), new RotateSealedSecretAction(repositories),
                new ApprovalAction(ports.approvals(), repositories),
                new MergePullRequestAction(repositories, ports.audit()),
                new SyncApplicationAction(ports.deployments(), ports.identities(), ports.audit()),
                new IdentityAction(ports.identities()), new GrantAccessAction(ports.access(), ports.grants(), ports.audit()),
                new RevokeAccessAction(ports.access(), ports.grants(), ports.approvals(), ports.accessPolicy(), ports.audit()),
                new AwaitReadyAction(ports.provisioning(), ports.slowAfter(), ports.failOnError()),
                new RenderSealedSecretAction(), new DebugLogAction(), new FetchPlainAction(),
                new FilesystemRenameAction(), new FilesystemDeleteAction(), new CatalogWriteAction(),
                new CatalogRegisterAction(), new PublishGithubAction(repositories),
                new GitHubPagesEnableAction(repositories), new GitHubActionsDispatchAction(repositories),
                new NotificationSendAction(ports.identities(), ports.notifier())));
        if (ports.scaffolder() != null) {
            actions.add(new BackstageTaskAction(ports.scaffolder()));
        }
        return List.copyOf(actions);
    }

    /** The ids of the built-in actions, sorted ({@code fetch:template}, {@code github:repo:create}, ...). No I/O. */
    public static Set<String> ids() {
        Set<String> ids = new TreeSet<>();
        create(Ports.none()).forEach(a -> ids.add(a.id()));
        return ids;
    }
}
