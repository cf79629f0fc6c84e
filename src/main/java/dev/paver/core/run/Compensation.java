package dev.paver.core.run;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One thing a step undoes when its run is cancelled ({@link Action#undo}): close a pull request and delete its branch,
 * revoke a grant. {@link RunEngine#cancel} runs each and says in the thread what {@code undo} returned; when {@code undo}
 * throws (the git host answered 5xx, the cluster cannot be reached), the thread lists {@code todo} as left to clean up by
 * hand, with the error. {@code undo} must be idempotent: a cancel cut off (a crash, Slack down) is clicked again and
 * runs it again.
 *
 * @param todo what is to be done, in words a person can follow by hand, e.g. "close pull request #7 in payments-gitops
 *             and delete its branch paver/r1/publish"
 * @param undo does it and returns what was done, e.g. "closed pull request #7 in payments-gitops"; throws when it could
 *             not be done
 */
public record Compensation(String todo, Supplier<String> undo) {
    public Compensation {
        Objects.requireNonNull(todo, "todo");
        Objects.requireNonNull(undo, "undo");
    }

    /**
     * Who cancels which run, for an action's {@link Action#undo}.
     *
     * @param runId   the run cancelled
     * @param request what it asked
     * @param by      the Slack user id of who cancelled it, from the signed click
     * @param at      when
     */
    public record Cancel(String runId, RunRequest request, String by, Instant at) {
    }
}
