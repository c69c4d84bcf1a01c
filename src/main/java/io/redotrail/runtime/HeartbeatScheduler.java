package io.redotrail.runtime;

import io.redotrail.checkpoint.HeartbeatSettings;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.sim.SourceHeartbeat;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the simulated source's heartbeat job ({@link SourceHeartbeat}) while a CamelContext that runs an Extract
 * is up (`run`, or the Extract's own group process): the simulated database has no scheduler of its own, so the
 * process that reads its redo hosts it. Once a second it reads {@code dirprm/heartbeat.properties}
 * ({@link HeartbeatSettings}: ADD / ALTER HEARTBEATTABLE take effect without a restart) and, when FREQUENCY seconds
 * have passed since the last beat, writes one heartbeat per redo thread; a beat the redo's other writer blocks is
 * tried again a second later. Nothing happens without ADD HEARTBEATTABLE, with FREQUENCY 0 or TARGETONLY. One
 * thread from the context's ExecutorServiceManager; state confined to it.
 */
final class HeartbeatScheduler extends MainListenerSupport {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatScheduler.class);

    private final Settings settings;
    private ScheduledExecutorService executor;
    private long lastBeat;
    private String lastProblem;

    HeartbeatScheduler(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void afterStart(BaseMainSupport main) {
        CamelContext ctx = main.getCamelContext();
        if (Pipeline.routeBeans(ctx, TransactionAggregator.class).isEmpty()) return; // no Extract here: not our job
        executor = ctx.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "SourceHeartbeat");
        executor.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void beforeStop(BaseMainSupport main) {
        if (executor != null) {
            main.getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
            executor = null;
        }
    }

    private void tick() {
        try {
            Optional<HeartbeatSettings> hs = HeartbeatSettings.read(settings.home());
            if (hs.isEmpty() || hs.get().targetOnly() || hs.get().frequency() == 0) return;
            long now = System.currentTimeMillis();
            if (lastBeat != 0 && now - lastBeat < hs.get().frequency() * 1000L) return;
            int threads = HomeSetup.redoThreads(settings);
            SourceHeartbeat.Beat b = SourceHeartbeat.beat(settings.home(), threads, t -> HomeSetup.redoConfig(settings, t),
                    HomeSetup.clock(settings));
            if (b == SourceHeartbeat.Beat.WRITTEN) {
                lastBeat = now;
                lastProblem = null;
            } else if (b == SourceHeartbeat.Beat.NO_SEED_TABLE) {
                problem("the source database has no seed table (GGSCI ADD HEARTBEATTABLE creates it): no heartbeat written");
            } // BUSY: a workload writes the redo; again in a second
        } catch (Exception | LinkageError e) {
            // a failed beat never stops the Extract: the target's GG_LAG shows the heartbeat's age growing
            problem("heartbeat not written: " + e);
        }
    }

    private void problem(String text) {
        if (!text.equals(lastProblem)) LOG.warn("Source heartbeat job: {}", text);
        lastProblem = text;
    }
}
