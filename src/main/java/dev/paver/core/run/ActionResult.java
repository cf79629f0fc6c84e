package dev.paver.core.run;

import java.time.Instant;
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
     * @param waitKey    what wakes the run: {@code pr:<repository>:<branch>}, {@code argocd:<application>}
     * @param detail     what it waits for, for the card
     * @param milestones replies for the thread (posted once each)
     * @param wakeAt     a durable timer: the run is woken at this instant even if nothing else wakes it; or null
     * @param state      what the action keeps until its next pass (an outside task's id, the last event it read),
     *                   given back as {@link ActionContext#state()}: stored with the run as the waiting step's output;
     *                   text only (a number comes back from JSON as whatever type its reader picks), and small
     */
    record Waiting(String waitKey, String detail, List<Milestone> milestones, Instant wakeAt, Map<String, String> state)
            implements ActionResult {
        public Waiting {
            state = state == null ? Map.of() : Map.copyOf(state);
        }

        /** Waiting with nothing kept for the next pass. */
        public Waiting(String waitKey, String detail, List<Milestone> milestones, Instant wakeAt) {
            this(waitKey, detail, milestones, wakeAt, Map.of());
        }

        /** Waiting with no timer. */
        public Waiting(String waitKey, String detail, List<Milestone> milestones) {
            this(waitKey, detail, milestones, null);
        }
    }

    /**
     * @param reason     why, in the words of git, Argo CD or the conventions, and what to do
     * @param milestones replies for the thread
     * @param ending     how the run ends: FAILED, or DENIED / EXPIRED for an approval that was refused or not given
     */
    record Failed(String reason, List<Milestone> milestones, RunState ending) implements ActionResult {
        public Failed {
            if (ending == null || !ending.finished() || ending == RunState.SUCCEEDED) {
                throw new IllegalArgumentException("a failed step ends its run as FAILED, DENIED or EXPIRED, not " + ending);
            }
        }

        /** A failure: the run ends as FAILED. */
        public Failed(String reason, List<Milestone> milestones) {
            this(reason, milestones, RunState.FAILED);
        }
    }
}
