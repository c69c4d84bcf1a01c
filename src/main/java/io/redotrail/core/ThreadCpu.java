package io.redotrail.core;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The current thread's CPU time, for the counters a stage reports at stop (e.g. the Replicat's route thread): a
 * stage whose thread is on the CPU all the time is bound by its own work, one that is not waits for something.
 * Thread-safe (stateless).
 */
public final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean SUPPORTED = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();

    private ThreadCpu() {
    }

    /** The current thread's CPU time in nanoseconds, or 0 where the JVM does not measure it (differences are then 0). */
    public static long now() {
        return SUPPORTED ? THREADS.getCurrentThreadCpuTime() : 0;
    }
}
