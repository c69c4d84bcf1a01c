package io.redotrail.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Where a consumer reports that its process group must stop (GoldenGate's "PROCESS ABENDING"): an error
 * that retrying cannot fix, such as a missing redo log or a corrupt trail record. The consumer stops reading
 * so nothing after the failure is processed; the command line watches this registry and exits non-zero.
 */
public final class Abends {
    private static final Map<String, Throwable> ABENDED = new ConcurrentHashMap<>();
    private static final CopyOnWriteArrayList<BiConsumer<String, Throwable>> LISTENERS = new CopyOnWriteArrayList<>();

    private Abends() {
    }

    /** Records the first cause a group abends with; listeners hear of each group once, however many layers report. */
    public static void report(String group, Throwable cause) {
        if (ABENDED.putIfAbsent(group, cause) != null) return;
        for (BiConsumer<String, Throwable> l : LISTENERS) {
            l.accept(group, cause);
        }
    }

    public static Map<String, Throwable> all() {
        return Map.copyOf(ABENDED);
    }

    public static void onAbend(BiConsumer<String, Throwable> listener) {
        LISTENERS.add(listener);
    }

    /** For tests that run several contexts in one JVM. */
    public static void clear() {
        ABENDED.clear();
        LISTENERS.clear();
    }
}
