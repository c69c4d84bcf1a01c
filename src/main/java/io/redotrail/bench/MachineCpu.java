package io.redotrail.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The whole machine's CPU time from Linux's {@code /proc/stat} (user, nice, system, irq and softirq of every core,
 * in clock ticks of 1/100 s): what the JVM and a database server on the same machine spent together. On 2
 * cores a stage whose JVM and PostgreSQL keep both busy is bounded by CPU, not by waiting; the JVM's own CPU cannot
 * show that. Elsewhere (no {@code /proc/stat}) it answers -1 and bench leaves the figure out.
 * <p>
 * Stateless; thread-safe.
 */
final class MachineCpu {
    /** Linux's USER_HZ, which /proc/stat counts in on every architecture it exports to user space. */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path STAT = Path.of("/proc/stat");

    private MachineCpu() {
    }

    /** Busy clock ticks of all cores since boot, or -1 when the machine does not tell. */
    static long busyTicks() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            return lines.isEmpty() ? -1 : busy(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Busy ticks on /proc/stat's aggregate line: user, nice, system, irq, softirq (guest time is inside user); not
     * idle, iowait, nor steal (time the hypervisor gave to another machine).
     */
    static long busy(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) throw new IllegalArgumentException("not /proc/stat's cpu line: " + cpuLine);
        long busy = 0;
        for (int i : new int[]{1, 2, 3, 6, 7}) busy += Long.parseLong(f[i]);
        return busy;
    }

    static double seconds(long ticks) {
        return ticks / TICKS_PER_SECOND;
    }

    /** The cores this JVM may run on (a stage's CPU-seconds are compared with its seconds times these). */
    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }
}
