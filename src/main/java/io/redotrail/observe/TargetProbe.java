package io.redotrail.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.LongSupplier;

/**
 * Whether a group's target answers: a Replicat's database (a fresh JDBC connection, {@code isValid}), a pump's
 * remote host (a TCP connection to RMTHOST, MGRPORT, closed at once). A probe takes up to {@value #TIMEOUT_SECONDS}
 * s; its result is kept for {@value #KEEP_MILLIS} ms so frequent scrapes do not hammer the target. Thread-safe.
 */
abstract class TargetProbe {
    static final int TIMEOUT_SECONDS = 3;
    static final long KEEP_MILLIS = 5_000;

    private final LongSupplier clock;
    private long checkedAt = Long.MIN_VALUE; // guarded by this
    private String failure; // guarded by this

    TargetProbe(LongSupplier clock) {
        this.clock = clock;
    }

    /** Null when the target answered at the last probe (probing again when that was too long ago), else why not. */
    synchronized String failure() {
        long now = clock.getAsLong();
        if (checkedAt == Long.MIN_VALUE || now - checkedAt >= KEEP_MILLIS || now < checkedAt) {
            failure = probe();
            checkedAt = clock.getAsLong();
        }
        return failure;
    }

    /** Null when reachable, else why not. */
    abstract String probe();

    /** A Replicat's target database, with the Replicat's login. */
    static TargetProbe jdbc(io.redotrail.replicat.ReplicatApplier applier) {
        return new TargetProbe(System::currentTimeMillis) {
            @Override
            String probe() {
                return applier.targetUnreachable(TIMEOUT_SECONDS);
            }
        };
    }

    /** A TCP listener. */
    static TargetProbe tcp(String host, int port) {
        return new TargetProbe(System::currentTimeMillis) {
            @Override
            String probe() {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), TIMEOUT_SECONDS * 1000);
                    return null;
                } catch (IOException e) {
                    return host + ":" + port + ": " + e.getMessage();
                }
            }
        };
    }
}
