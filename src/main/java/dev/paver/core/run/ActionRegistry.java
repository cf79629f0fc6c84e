package dev.paver.core.run;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** All actions by id. Built once at start-up; a duplicate id is a start-up failure, as in Backstage. */
public final class ActionRegistry {

    private final Map<String, Action> actions = new TreeMap<>();

    /**
     * @throws IllegalStateException when two actions share an id
     */
    public ActionRegistry(Collection<? extends Action> all) {
        for (Action action : all) {
            Action previous = actions.putIfAbsent(action.id(), action);
            if (previous != null) {
                throw new IllegalStateException("action id " + action.id() + " is registered twice: by "
                        + previous.getClass().getName() + " and " + action.getClass().getName());
            }
        }
    }

    /** The action registered under {@code id}, if any. */
    public Optional<Action> find(String id) {
        return Optional.ofNullable(actions.get(id));
    }

    /** Registered ids, sorted. */
    public Set<String> ids() {
        return Collections.unmodifiableSet(actions.keySet());
    }
}
