package dev.paver.core.run;

import java.util.Locale;

/** Where one step of a run is. */
public enum StepStatus {
    PENDING, WAITING, DONE, SKIPPED, FAILED;

    /** Lower-case word for messages. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
