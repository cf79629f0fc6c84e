package dev.paver.core.action;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.report.Message;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import java.util.List;
import java.util.Map;

/**
 * {@code paver:identity}: finds the requester's cluster identity (the RoleBinding subject), before anyone is asked
 * to approve: a configured mapping, else the email of their Slack profile ({@link IdentityPort}). An unmapped user
 * ends the run with what to do, and nothing is granted. Output: {@code identity}.
 */
public final class IdentityAction implements Action {

    private final IdentityPort identities;

    public IdentityAction(IdentityPort identities) {
        this.identities = identities;
    }

    @Override
    public String id() {
        return "paver:identity";
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String user = ctx.request().requester();
        return identities.clusterIdentity(user)
                .<ActionResult>map(identity -> ActionResult.Done.of(Map.of("identity", identity), identity))
                .orElseGet(() -> new ActionResult.Failed("Paver cannot tell the cluster identity of " + Message.mention(user)
                        + ": the Slack profile shows no email to Paver and paver.identity.users has no entry for " + user
                        + ". Ask the platform team to map you. Nothing was granted and nobody was asked to approve.", List.of()));
    }
}
