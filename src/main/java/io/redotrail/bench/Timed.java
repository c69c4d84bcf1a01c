package io.redotrail.bench;

import java.util.Locale;

/**
 * A stage's seconds, the JVM's CPU-seconds over them (every thread: the stage's, C2's, the collector's) and the
 * JIT compilers' time meanwhile: a stage measured while its code compiles shares the cores with the compiler.
 */
record Timed(double seconds, double jvmCpuSeconds, double jitSeconds) {
    /** Starts measuring; {@link Start#stop} gives the seconds, the JVM's CPU and the JIT time since. */
    static Start start() {
        return new Start(System.nanoTime(), processCpuNanos(), compileMillis());
    }

    /** Where a measurement started: System.nanoTime, the JVM's CPU nanoseconds, the JIT milliseconds. */
    record Start(long nanos, long cpuNanos, long jitMillis) {
        Timed stop() {
            return new Timed((System.nanoTime() - nanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9,
                    (compileMillis() - jitMillis) / 1e3);
        }
    }

    /** Each figure's least of the two. */
    Timed least(Timed o) {
        return new Timed(Math.min(seconds, o.seconds), Math.min(jvmCpuSeconds, o.jvmCpuSeconds), Math.min(jitSeconds, o.jitSeconds));
    }

    String jvm() {
        return String.format(Locale.ROOT, "JVM %.2f CPU-s, JIT %.2f s", jvmCpuSeconds, jitSeconds);
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
