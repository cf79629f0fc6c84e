package dev.paver.core.action;

import java.util.List;
import java.util.Map;

/** What an action did: it is done, it waits for the outside world, or it failed. Rejections are results, not exceptions. */
public sealed interface ActionResult {

    List<Milestone> milestones();

    /**
     * @param output     the step's output, read by later steps as {@code steps.<id>.output.<key>}
     * @param detail     a short line for the card
     * @param milestones replies for the thread
     */
    record Done(Map<String, Object> output, String detail, List<Milestone> milestones) implements ActionResult {
        public Done {
            output = Map.copyOf(output);
        }

        /** Done, with nothing to say in the thread. */
        public static Done of(Map<String, Object> output, String detail) {
            return new Done(output, detail, List.of());
        }
    }

    /**
     * @param waitKey    what wakes the run: {@code pr:<repo>#<number>}, {@code argocd:<application>}
     * @param detail     what it waits for, for the card
     * @param milestones replies for the thread (posted once each)
     */
    record Waiting(String waitKey, String detail, List<Milestone> milestones) implements ActionResult {
    }

    /**
     * @param reason     why, in the words of git, Argo CD or the conventions, and what to do
     * @param milestones replies for the thread
     */
    record Failed(String reason, List<Milestone> milestones) implements ActionResult {
    }
}
