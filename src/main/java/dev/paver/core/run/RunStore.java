package dev.paver.core.run;

import java.util.List;
import java.util.Optional;

/** Port to durable run storage. Implementations throw unchecked exceptions when the store is unreachable. */
public interface RunStore {

    /** Stores a new run. */
    void insert(Run run);

    /** Replaces a stored run with this state. */
    void update(Run run);

    Optional<Run> find(String id);

    /** Runs that are not SUCCEEDED or FAILED, oldest first. */
    List<Run> unfinished();

    /** Waiting runs whose wake key is {@code waitKey}. */
    List<Run> waitingFor(String waitKey);

    /** Waiting runs whose timer ({@link Run#wakeAt()}) is at or before {@code now}, soonest first. */
    List<Run> due(java.time.Instant now);

    /** The most recent runs of one requester (Slack user id), newest first, at most {@code limit}. */
    List<Run> recentBy(String requester, int limit);

    /** The most recent runs, newest first, at most {@code limit}. */
    List<Run> recent(int limit);
}
