package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Paver asks G1 to give unused heap back after an idle minute, unless the operator chose otherwise. Each case runs in
 * a JVM of its own, as {@code java -jar} starts one, so that the flag starts from its default.
 */
class IdleMemoryTest {

    @Test
    void aJvmStartedWithoutOptionsCollectsAfterTheIdleTime() throws Exception {
        assertThat(child(List.of(), "60s")).isEqualTo("true 60000 MANAGEMENT");
    }

    @Test
    void aJvmStartedWithoutOptionsKeepsAtMostTheShareOfFreeHeapAskedFor() throws Exception {
        assertThat(ratios(List.of(), "30")).as("the minimum lowered below the maximum first").isEqualTo("10 30");
        assertThat(ratios(List.of(), "0")).as("0 leaves the JVM's").isEqualTo("40 70");
        assertThat(ratios(List.of("-XX:MaxHeapFreeRatio=50"), "30")).as("an operator's own ratio").isEqualTo("40 50");
        assertThat(ratios(List.of("-XX:+UseSerialGC"), "30")).as("another collector").isEqualTo("40 70");
    }

    @Test
    void anOperatorsOwnIntervalIsKept() throws Exception {
        assertThat(child(List.of("-XX:G1PeriodicGCInterval=5000"), "60s")).isEqualTo("false 5000 VM_CREATION");
    }

    @Test
    void zeroLeavesG1AsItIs() throws Exception {
        assertThat(child(List.of(), "0s")).isEqualTo("false 0 DEFAULT");
    }

    @Test
    void anotherCollectorIsLeftAlone() throws Exception {
        assertThat(child(List.of("-XX:+UseSerialGC"), "60s")).isEqualTo("false 0 DEFAULT");
    }

    /** Runs {@link Child} with {@code maxFree}; the child's {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio}. */
    private static String ratios(List<String> options, String maxFree) throws Exception {
        String[] out = child(options, "60s", maxFree).split(" ");
        return out[3] + " " + out[4];
    }

    /** Runs {@link Child} in a new JVM with {@code options}; its interval figures (applied, value, origin). */
    private static String child(List<String> options, String interval) throws Exception {
        String[] out = child(options, interval, "0").split(" ");
        return out[0] + " " + out[1] + " " + out[2];
    }

    /** Runs {@link Child} in a new JVM with {@code options}; its one line of output. */
    private static String child(List<String> options, String interval, String maxFree) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.contains("-XX:+UseSerialGC") ? List.of() : List.of("-XX:+UseG1GC"));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName(), interval, maxFree));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ends").isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String[] lines = out.split("\n");
        return lines[lines.length - 1].strip();
    }

    /**
     * Applies the interval and share of free heap given; prints whether the interval was set, the interval flag's value
     * and origin, and the minimum and maximum free heap ratios.
     */
    public static final class Child {
        public static void main(String[] args) {
            boolean applied = IdleMemory.apply(Duration.parse("PT" + args[0].toUpperCase()), Integer.parseInt(args[1]));
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            VMOption option = hotSpot.getVMOption(IdleMemory.FLAG);
            System.out.println(applied + " " + option.getValue() + " " + option.getOrigin() + " "
                    + hotSpot.getVMOption(IdleMemory.MIN_FREE).getValue() + " " + hotSpot.getVMOption(IdleMemory.MAX_FREE).getValue());
        }
    }
}
