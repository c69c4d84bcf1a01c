package io.redotrail.bench;

import java.util.Locale;

/**
 * A stage's seconds, the JVM's CPU-seconds over them (every thread: the stage's, C2's, the collector's), the
 * JIT compilers' time meanwhile (a stage measured while its code compiles shares the cores with the compiler), and
 * the CPU-seconds of the whole machine ({@link MachineCpu}: the JVM and a local database server together; NaN where
 * the machine does not tell), against the seconds times the cores: whether the stage had the cores to itself and
 * kept them busy, or waited.
 */
record Timed(double seconds, double jvmCpuSeconds, double jitSeconds, double machineCpuSeconds) {
    /** Starts measuring; {@link Start#stop} gives the seconds, the JVM's and the machine's CPU and the JIT time since. */
    static Start start() {
        return new Start(System.nanoTime(), processCpuNanos(), compileMillis(), MachineCpu.busyTicks());
    }

    /** Where a measurement started: System.nanoTime, the JVM's CPU nanoseconds, the JIT milliseconds, the machine's busy ticks. */
    record Start(long nanos, long cpuNanos, long jitMillis, long machineTicks) {
        Timed stop() {
            long ticks = MachineCpu.busyTicks();
            return new Timed((System.nanoTime() - nanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9,
                    (compileMillis() - jitMillis) / 1e3, ticks < 0 || machineTicks < 0 ? Double.NaN : MachineCpu.seconds(ticks - machineTicks));
        }
    }

    /** Each figure's least of the two. */
    Timed least(Timed o) {
        return new Timed(Math.min(seconds, o.seconds), Math.min(jvmCpuSeconds, o.jvmCpuSeconds), Math.min(jitSeconds, o.jitSeconds),
                Math.min(machineCpuSeconds, o.machineCpuSeconds));
    }

    String jvm() {
        String s = String.format(Locale.ROOT, "JVM %.2f CPU-s, JIT %.2f s", jvmCpuSeconds, jitSeconds);
        return Double.isNaN(machineCpuSeconds) ? s : s + String.format(Locale.ROOT, ", machine %.2f of %.2f CPU-s",
                machineCpuSeconds, seconds * MachineCpu.cores());
    }

    /** The JVM's CPU time so far, nanoseconds (every thread: the stage's, C2's, the collector's). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Collection time of every garbage collector of this JVM so far (pauses and, for G1, its concurrent cycles' pauses). */
    static long gcMillis() {
        long t = 0;
        for (var b : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, b.getCollectionTime());
        return t;
    }

    /** Milliseconds this JVM's JIT compilers have spent compiling so far (0 where the JVM does not tell). */
    static long compileMillis() {
        var c = java.lang.management.ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }
}
