package io.redotrail.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineCpuTest {
    @Test
    void busyCountsUserNiceSystemIrqSoftirqNotIdleIowaitOrSteal() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertEquals(100 + 2 + 30 + 5 + 7, MachineCpu.busy("cpu  100 2 30 4000 500 5 7 600 0 0"));
        assertEquals(1.39, MachineCpu.seconds(139), 1e-9);
    }

    @Test
    void aLineOtherThanTheAggregateIsRefusedNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> MachineCpu.busy("cpu0 1 2 3 4 5 6 7 8"));
        assertTrue(e.getMessage().contains("cpu0 1 2 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MachineCpu.busy("cpu 1 2 3"));
    }

    /** The machine's busy time grows by at least the CPU this thread spends (it is on the machine). */
    @Test
    void aThreadsCpuShowsInTheMachinesBusyTime() {
        assertTrue(Files.isReadable(Path.of("/proc/stat")), "redotrail runs on Linux");
        long before = MachineCpu.busyTicks();
        Timed.Start start = Timed.start();
        long x = 0;
        while (Timed.processCpuNanos() - start.cpuNanos() < 300_000_000L) x += System.nanoTime() % 7;
        Timed t = start.stop();
        assertTrue(x >= 0);
        assertTrue(before > 0);
        // ticks are 10 ms; the JVM's 0.3 CPU-s are inside the machine's
        assertTrue(t.machineCpuSeconds() >= t.jvmCpuSeconds() - 0.05, t.toString());
        assertTrue(t.jvm().matches("JVM [\\d.]+ CPU-s, JIT [\\d.]+ s, machine [\\d.]+ of [\\d.]+ CPU-s"), t.jvm());
    }
}
