package dev.paver.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap a burst grew back to the operating system once Paver is idle. G1 sizes the heap up under load (more
 * so on a busy machine, where its pauses look long and it expands to spend less time collecting: 2.3 GiB committed
 * for a live heap of 80 MiB after a burst of 200 create-service runs) and shrinks it only at the end of a concurrent
 * cycle or a full collection, which a quiet Paver does not make: young collections (polls, timers) come too often for
 * G1's idle check and never shrink the heap. Two of G1's manageable flags, set at start-up through the
 * {@code HotSpotDiagnosticMXBean} so that {@code java -jar paver.jar} needs no JVM option:
 * <ul>
 *     <li>{@code G1PeriodicGCInterval} ("JEP 346: Promptly Return Unused Committed Memory from G1"): after that long
 *     without a collection G1 makes a concurrent cycle, which uncommits the free heap;</li>
 *     <li>{@code MaxHeapFreeRatio} (with {@code MinHeapFreeRatio} lowered to stay below it): the most free heap, in
 *     percent of the committed heap, G1 keeps after such a cycle; the JVM's 70 % leaves 3.3 times the live heap
 *     committed.</li>
 * </ul>
 * An operator's own {@code -XX:} value of either flag wins; another collector (the serial one, which the JVM picks in a
 * container of less than 1,792 MiB or 2 processors, as in {@code deploy/}) is left alone.
 */
final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);
    static final String FLAG = "G1PeriodicGCInterval";
    static final String MAX_FREE = "MaxHeapFreeRatio";
    static final String MIN_FREE = "MinHeapFreeRatio";

    private IdleMemory() {
    }

    /**
     * Sets {@code G1PeriodicGCInterval} to {@code interval} and {@code MaxHeapFreeRatio} to {@code maxFreePercent} when
     * the JVM runs G1 and each flag still has its default (an operator's {@code -XX:} value wins). When the maximum
     * is set below {@code MinHeapFreeRatio}, the minimum is lowered to a third of it first (the JVM refuses a minimum
     * above the maximum).
     *
     * @param interval       how long without a collection before G1 makes one; zero or negative: not changed
     * @param maxFreePercent the most free heap G1 keeps after a collection, 1 to 100 (percent); 0: not changed
     * @return true when the interval was set
     * @throws IllegalArgumentException when {@code maxFreePercent} is outside 0 to 100
     */
    static boolean apply(Duration interval, int maxFreePercent) {
        if (maxFreePercent < 0 || maxFreePercent > 100) {
            throw new IllegalArgumentException("a percentage from 0 to 100, got " + maxFreePercent);
        }
        if (!runsG1()) {
            return false;
        }
        HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (hotSpot == null) {
            return false;
        }
        if (maxFreePercent > 0) {
            setRatios(hotSpot, maxFreePercent);
        }
        if (interval == null || interval.isZero() || interval.isNegative()) {
            return false;
        }
        try {
            if (hotSpot.getVMOption(FLAG).getOrigin() != VMOption.Origin.DEFAULT) {
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

    private static void setRatios(HotSpotDiagnosticMXBean hotSpot, int maxFreePercent) {
        try {
            if (hotSpot.getVMOption(MAX_FREE).getOrigin() != VMOption.Origin.DEFAULT) {
                return;
            }
            int min = Integer.parseInt(hotSpot.getVMOption(MIN_FREE).getValue());
            if (min > maxFreePercent) {
                if (hotSpot.getVMOption(MIN_FREE).getOrigin() != VMOption.Origin.DEFAULT) {
                    return; // the operator's minimum is above the maximum asked for: keep both of the JVM's
                }
                hotSpot.setVMOption(MIN_FREE, Integer.toString(maxFreePercent / 3));
            }
            hotSpot.setVMOption(MAX_FREE, Integer.toString(maxFreePercent));
        } catch (IllegalArgumentException | UnsupportedOperationException | SecurityException e) {
            LOG.info("G1 keeps its own share of free heap (the JVM refused {}: {})", MAX_FREE, e.getMessage());
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
