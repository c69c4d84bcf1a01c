package io.redotrail.runtime;

import io.redotrail.report.GroupRuntimes;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a Camel Main in the foreground until SIGTERM / SIGINT (a graceful stop: each route finishes its exchange
 * and checkpoints) or the first abend of one of its groups; returns the exit status: 0 stopped, 1 abended. The
 * one implementation of the signal and exit logic of {@code run} and of a group's {@code process}.
 * <p>
 * The signals are handled here, not by a JVM shutdown hook: the embedded H2 target closes its database in a
 * shutdown hook of its own, and the hooks run at the same time, so the Replicat's last commit could find the
 * database closed. Here the routes stop first; the hooks run at {@code System.exit} afterwards. One use per Main.
 */
public final class Foreground {
    private Foreground() {
    }

    /** Runs {@code main} (configured, not started) until a signal or an abend; prints {@code banner} first. */
    public static int run(Main main, String banner) throws Exception {
        // the exit status comes from the groups of the context this run starts, before its routes start
        AtomicReference<GroupRuntimes> groups = new AtomicReference<>();
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport m) {
                GroupRuntimes g = GroupRuntimes.of(m.getCamelContext());
                groups.set(g);
                g.onAbend((group, cause) -> {
                    System.err.println("redotrail: " + group + " ABENDED: " + cause.getMessage());
                    main.completed();
                });
            }
        });
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    System.out.println("redotrail: SIG" + sig.getName() + " received, stopping gracefully");
                    main.completed();
                });
            } catch (IllegalArgumentException e) {
                // the platform lacks the signal (or the JVM reserves it): Camel Main's shutdown hook still stops us
            }
        }
        System.out.println(banner);
        main.run();
        return groups.get() == null || groups.get().abends().isEmpty() ? 0 : 1;
    }
}
