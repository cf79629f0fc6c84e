package dev.paver.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst grew back to the operating system once Paver is idle. G1 sizes the heap up under load and,
 * by default, only shrinks it at a full collection, which a quiet Paver never makes: after a burst of runs the process
 * keeps its peak resident memory for good although the live heap is back where it was. G1's periodic collection
 * ({@code G1PeriodicGCInterval}, "JEP 346: Promptly Return Unused Committed Memory from G1") makes a concurrent cycle
 * after that long without a collection and uncommits the free heap. The flag is manageable, so Paver sets it at
 * start-up through the {@code HotSpotDiagnosticMXBean}: {@code java -jar paver.jar} needs no JVM option.
 */
final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);
    static final String FLAG = "G1PeriodicGCInterval";

    private IdleMemory() {
    }

    /**
     * Sets {@code G1PeriodicGCInterval} to {@code interval} when the JVM runs G1 and the flag still has its default
     * (an operator's {@code -XX:G1PeriodicGCInterval} wins).
     *
     * @param interval how long without a collection before G1 makes one; zero or negative: nothing is changed
     * @return true when the flag was set
     */
    static boolean apply(Duration interval) {
        if (interval == null || interval.isZero() || interval.isNegative() || !runsG1()) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            if (hotSpot == null || hotSpot.getVMOption(FLAG).getOrigin() != VMOption.Origin.DEFAULT) {
                return false;
            }
            hotSpot.setVMOption(FLAG, Long.toString(interval.toMillis()));
            LOG.debug("G1 collects after {} without a collection and gives unused heap back", interval);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LOG.info("unused heap is not given back after an idle time (the JVM refused {}: {})", FLAG, e.getMessage());
            return false;
        }
    }

    private static boolean runsG1() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().startsWith("G1 ")) {
                return true;
            }
        }
        return false;
    }
}
