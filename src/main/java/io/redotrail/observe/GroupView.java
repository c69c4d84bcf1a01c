package io.redotrail.observe;

import io.redotrail.camel.RouteBeans;
import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.extract.CacheView;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.replicat.ApplyView;
import io.redotrail.replicat.ReplicatApplier;
import io.redotrail.report.GroupRuntime;
import org.apache.camel.CamelContext;

import java.nio.file.Files;
import java.util.Optional;

/**
 * What the metrics, health checks and MBean of one group read, all from the group's existing runtime state: its
 * {@link GroupRuntime} (STATS counters, lag, abend), the extract's {@link CacheView} or the Replicat's
 * {@link ApplyView} (copies their route threads publish per batch, so a reader never waits for a route), and its
 * checkpoint file (read and write positions, checkpoint age; re-read at most once a second, so a scrape of many
 * meters reads it once). The group's kind is EXTRACT when a route of the context runs its transaction aggregator,
 * REPLICAT when one runs its applier, PUMP for another group with an extract checkpoint file ({@code .cpe}).
 * Thread-safe.
 */
final class GroupView {
    private static final long CHECKPOINT_CACHE_MILLIS = 1_000;

    private final CamelContext context;
    private final GroupRuntime runtime;
    private volatile TransactionAggregator aggregator;
    private volatile ReplicatApplier applier;
    private volatile String kind;
    private ProcessCheckpoint checkpoint; // guarded by this
    private long checkpointReadAt; // guarded by this; 0: never read (now - MIN_VALUE would overflow)

    GroupView(CamelContext context, GroupRuntime runtime) {
        this.context = context;
        this.runtime = runtime;
    }

    GroupRuntime runtime() {
        return runtime;
    }

    String group() {
        return runtime.group();
    }

    /** EXTRACT, PUMP, REPLICAT or OTHER (a group name a user route uses for its own state). */
    String kind() {
        if (kind == null) {
            findBeans();
            if (aggregator != null) kind = "EXTRACT";
            else if (applier != null) kind = "REPLICAT";
            else if (Files.exists(CheckpointFile.extractFile(runtime.home(), group()))) kind = "PUMP";
            else if (Files.exists(CheckpointFile.replicatFile(runtime.home(), group()))) kind = "REPLICAT";
            else return "OTHER"; // not kept: the group's route may not be there yet
        }
        return kind;
    }

    private void findBeans() {
        if (aggregator == null) {
            aggregator = RouteBeans.of(context, TransactionAggregator.class).values().stream()
                    .filter(a -> group().equalsIgnoreCase(a.getGroup())).findFirst().orElse(null);
        }
        if (applier == null) {
            applier = RouteBeans.of(context, ReplicatApplier.class).values().stream()
                    .filter(a -> group().equalsIgnoreCase(a.getGroup())).findFirst().orElse(null);
        }
    }

    /** The extract's transaction cache as of its last batch (empty for another kind). */
    CacheView cache() {
        if (aggregator == null && "EXTRACT".equals(kind())) findBeans();
        TransactionAggregator a = aggregator;
        return a == null ? CacheView.EMPTY : a.cacheView();
    }

    /** The extract's counters, or null for another kind. */
    io.redotrail.extract.ExtractStats extractStats() {
        return "EXTRACT".equals(kind()) && aggregator != null ? aggregator.stats() : null;
    }

    /** The Replicat's counters as of its last exchange (empty for another kind). */
    ApplyView apply() {
        ReplicatApplier a = applier();
        return a == null ? ApplyView.EMPTY : a.applyView();
    }

    /** The Replicat's applier (its target login), or null for another kind. */
    ReplicatApplier applier() {
        if (applier == null && "REPLICAT".equals(kind())) findBeans();
        return applier;
    }

    /** The group's checkpoint file as last written, re-read at most once a second; empty when none can be read. */
    synchronized Optional<ProcessCheckpoint> checkpoint(long now) {
        if (now - checkpointReadAt >= CHECKPOINT_CACHE_MILLIS || now < checkpointReadAt) {
            checkpointReadAt = now;
            try {
                java.nio.file.Path f = "REPLICAT".equals(kind()) ? CheckpointFile.replicatFile(runtime.home(), group())
                        : CheckpointFile.extractFile(runtime.home(), group());
                checkpoint = new CheckpointFile(f).read().orElse(null);
            } catch (RuntimeException e) {
                checkpoint = null; // being replaced, or damaged: the group's own reading of it reports that
            }
        }
        return Optional.ofNullable(checkpoint);
    }
}
