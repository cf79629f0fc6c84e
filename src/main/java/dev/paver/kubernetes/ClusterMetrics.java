package dev.paver.kubernetes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * What Paver sees of its clusters, as Micrometer meters, shared by every cluster's adapters:
 * <ul>
 *   <li>{@value #ARGOCD_EVENT_AGE} (gauge, seconds): since the Argo CD Applications informer's latest event (an
 *       Application added, changed or deleted, or a list); NaN before the first;</li>
 *   <li>{@value #ARGOCD_WATCHING} (gauge, 1 or 0): whether that informer's watch is open;</li>
 *   <li>{@value #CROSSPLANE_EVENT_AGE} (gauge, seconds): since the latest Crossplane claim or composite resource was
 *       read (Paver reads them with a get per check, it does not watch them: see {@link CrossplaneResources}), in any
 *       environment's cluster; NaN before the first;</li>
 *   <li>{@value #REVOCATIONS} (counter; tag {@code outcome}: {@code revoked}, {@code failed}): deletions of elevation
 *       RoleBindings, one per try; a failed one is tried again at the next poll.</li>
 * </ul>
 * Ages are on the wall clock.
 */
public final class ClusterMetrics {

    public static final String ARGOCD_EVENT_AGE = "paver.argocd.event.age";
    public static final String ARGOCD_WATCHING = "paver.argocd.watching";
    public static final String CROSSPLANE_EVENT_AGE = "paver.crossplane.event.age";
    public static final String REVOCATIONS = "paver.elevations.revocations";

    private final MeterRegistry registry;
    private final AtomicLong argoCdEventMillis = new AtomicLong(-1);
    private final AtomicLong crossplaneEventMillis = new AtomicLong(-1);
    private final Counter revoked;
    private final Counter failed;

    /** Registers the meters in {@code registry} (the revocation counters at zero). */
    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(ARGOCD_EVENT_AGE, () -> age(argoCdEventMillis)).baseUnit("seconds")
                .description("Seconds since the latest event of the Argo CD Applications informer").register(registry);
        Gauge.builder(CROSSPLANE_EVENT_AGE, () -> age(crossplaneEventMillis)).baseUnit("seconds")
                .description("Seconds since a Crossplane claim or composite resource was last read").register(registry);
        revoked = revocations("revoked");
        failed = revocations("failed");
    }

    /** Meters nobody reads (tests, and adapters built alone). */
    public static ClusterMetrics none() {
        return new ClusterMetrics(new CompositeMeterRegistry());
    }

    /** Registers {@value #ARGOCD_WATCHING}, read from {@code watching} at each scrape. */
    void argoCdWatching(BooleanSupplier watching) {
        Gauge.builder(ARGOCD_WATCHING, () -> watching.getAsBoolean() ? 1 : 0)
                .description("1 while the Argo CD Applications informer watches, else 0").register(registry);
    }

    void argoCdEvent() {
        argoCdEventMillis.set(System.currentTimeMillis());
    }

    void crossplaneEvent() {
        crossplaneEventMillis.set(System.currentTimeMillis());
    }

    /** A RoleBinding of an elevation was deleted (or was gone already), or its deletion failed. */
    void revocation(boolean done) {
        (done ? revoked : failed).increment();
    }

    private Counter revocations(String outcome) {
        return Counter.builder(REVOCATIONS).description("Deletions of elevation RoleBindings, by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private static double age(AtomicLong millis) {
        long at = millis.get();
        return at < 0 ? Double.NaN : Math.max(0, System.currentTimeMillis() - at) / 1000.0;
    }
}
