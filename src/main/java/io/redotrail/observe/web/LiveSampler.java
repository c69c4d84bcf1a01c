package io.redotrail.observe.web;

import org.apache.camel.support.service.ServiceSupport;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Samples the groups into a {@link History} every {@link LivePage#SAMPLE_MILLIS} on one daemon thread of its own
 * (a slow STATS reply delays only the next sample), as a service of the CamelContext that serves the page: it
 * starts and stops with that context. Thread-safe.
 */
final class LiveSampler extends ServiceSupport {
    private final Path home;
    private final Supplier<List<GroupRef>> groups;
    private final History history;
    private ScheduledExecutorService executor;

    LiveSampler(Path home, Supplier<List<GroupRef>> groups, History history) {
        this.home = home;
        this.groups = groups;
        this.history = history;
    }

    @Override
    protected void doStart() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "live-page-sampler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                long now = System.currentTimeMillis();
                history.sample(StatusRow.all(home, groups.get(), now), now);
            } catch (RuntimeException e) {
                // a checkpoint file being replaced, a group being deleted: the next sample sees it settled
            }
        }, 0, LivePage.SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (executor != null) executor.shutdownNow();
    }
}
