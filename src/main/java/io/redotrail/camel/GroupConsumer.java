package io.redotrail.camel;

import io.redotrail.report.GroupLock;
import io.redotrail.report.GroupRuntime;
import io.redotrail.report.GroupRuntimes;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lifecycle of a process group's consumer ({@code redo:}, {@code trail:}): one thread of its own from the
 * CamelContext's ExecutorServiceManager, exchanges handed to the route synchronously (the next read happens after
 * the previous exchange finished: backpressure, order of the stream = order on disk).
 * <ul>
 * <li>Start: the group's lock, pid file and report line, then {@link #open()} (a failure there is a start-up
 * refusal: the group abends and the route does not start).</li>
 * <li>Stop: no new read starts; the exchange in flight finishes (up to the context's shutdown timeout, then the
 * thread is interrupted), {@link #stopped()} runs, the group's lock is released. A thread that still runs after
 * the interrupt and a second timeout (a route step ignoring interrupts) may yet finish its exchange and write its
 * checkpoint: the group then abends instead, keeps its lock (no other process starts the group beside that
 * thread) and its last checkpoint ({@link #stopped()} does not run), and no consumer of the group starts in this
 * CamelContext while the thread runs ({@link GroupRuntime#consumerStillRuns()}).</li>
 * <li>A failure while reading (a corrupt file, a missing log) goes to {@link #getExceptionHandler()}: logged, or
 * with {@code bridgeErrorHandler=true} handed to the route's error handler. A failure of the route itself was
 * already seen by the route's error handler. Either way the group then abends (OGG-01668): reading stops and
 * nothing after the failure is delivered; the position stays before it, so a restart reads it again.</li>
 * </ul>
 */
public abstract class GroupConsumer extends DefaultConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(GroupConsumer.class);

    private final Path home;
    private final String group;
    private final String program;
    private ExecutorService executor;
    private volatile boolean stopping;
    private volatile boolean abended;
    private volatile boolean consuming;
    // the stop gave up on the thread (doStop): whatever it does after is no longer the group's abend
    private volatile boolean abandoned;
    // the start was refused because another consumer of this JVM reads the group
    private volatile boolean claimRefused;

    protected GroupConsumer(Endpoint endpoint, Processor processor, Path home, String group, String program) {
        super(endpoint, processor);
        this.home = home;
        this.group = group;
        this.program = program;
    }

    /** Opens what the loop reads (start position, reader); runs in doStart, so a failure refuses the start. */
    protected void open() throws Exception {
    }

    /** The read loop: runs while {@link #isPolling()}, hands exchanges on with {@link #deliver}. */
    protected abstract void consume() throws Exception;

    /** Closes what the loop read (reader, files), on the consumer thread, however the loop ended. */
    protected abstract void release();

    /** After the loop ended at a graceful stop of a group that did not abend, before its lock is released. */
    protected void stopped() {
    }

    /**
     * Whether an exchange the route's error handler handled (onException handled: true, a dead letter channel) counts
     * as completed: only for a sink route of the user's own, which chose where the failed batch goes. An Extract, a
     * pump or a Replicat abends instead: reading on would checkpoint past a batch that was never written or applied.
     */
    protected boolean handledFailureCompletes() {
        return false;
    }

    /**
     * Whether every batch that carries data must reach the group's last stage ({@link StageFailure#reached}): when
     * that stage is one of ours (a trail producer, the Replicat's applier), not a sink of the user's own.
     */
    protected boolean expectsLastStage() {
        return false;
    }

    /** The stage {@link #expectsLastStage()} waits for, for the RTR-01628 message. */
    protected String lastStage() {
        return "trail producer";
    }

    /** Where the group is, for the abend message (file and position). */
    protected abstract String where();

    protected final boolean isPolling() {
        return isRunAllowed() && !stopping;
    }

    protected final String group() {
        return group;
    }

    /** The read loop runs: from the start until it ended (a stop, an abend) and {@link #release()} ran. */
    public final boolean isConsuming() {
        return consuming;
    }

    @Override
    protected void doStart() throws Exception {
        if (runtime().consumerStillRuns()) {
            throw new IllegalStateException(program + " " + group + " not started: the consumer thread of its previous run has"
                    + " not stopped yet (it ignored the stop's interrupt); a second one would read and checkpoint beside it");
        }
        // before anything of the group is touched: a second reader of it in this JVM changes nothing of the first's,
        // not even at the stop Camel sends a consumer whose start failed (doStop)
        claimRefused = false;
        try {
            GroupLock.claimReader(home, group, this, program + " " + group + " (route " + getRouteId() + " of CamelContext "
                    + getEndpoint().getCamelContext().getName() + ")");
        } catch (IllegalStateException e) {
            claimRefused = true;
            throw e;
        }
        try {
            super.doStart();
            runtime().started(program);
        } catch (Exception e) {
            GroupLock.releaseReader(home, group, this);
            throw e;
        }
        stopping = false;
        abended = false;
        abandoned = false;
        try {
            open();
        } catch (Exception e) {
            abended(e);
            runtime().stopped();
            GroupLock.releaseReader(home, group, this);
            throw e;
        }
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, getClass().getSimpleName() + "[" + group + "]");
        consuming = true;
        executor.submit(this::loop);
    }

    private void loop() {
        try {
            consume();
        } catch (RouteFailedException e) {
            // a step waiting at stop (a pump retrying its remote host) was interrupted: nothing of it was checkpointed
            if (stopRequested() && Thread.currentThread().isInterrupted()) LOG.warn("{} {}: interrupted by stop {}: {}", program, group, where(), e.getCause().toString());
            else abended(e.getCause());
        } catch (Throwable e) {
            if (stopRequested() && (e instanceof InterruptedException || Thread.currentThread().isInterrupted())) {
                LOG.warn("{} {}: interrupted by stop {}", program, group, where());
            } else {
                getExceptionHandler().handleException(program + " " + group + " failed " + where(), e);
                abended(e);
            }
        } finally {
            try {
                release();
            } finally {
                consuming = false;
                GroupLock.releaseReader(home, group, this);
            }
        }
    }

    /**
     * Hands one exchange to the route and waits for it. A failure the route did not handle is thrown as
     * {@link RouteFailedException}, which ends the loop: nothing after it is read or delivered.
     */
    protected final void deliver(Consumer<Message> fill, boolean carriesData) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            fill.accept(exchange.getIn());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) throw new RouteFailedException(exchange.getException());
            if (!handledFailureCompletes() && Boolean.TRUE.equals(exchange.getExchangeExtension().getErrorHandlerHandled())) {
                Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
                throw new RouteFailedException(new IllegalStateException("RTR-01624 " + program + " " + group + ": a step of route "
                        + exchange.getFromRouteId() + " failed on the batch and the route's error handler handled it (onException"
                        + " handled: true, a dead letter channel); the batch may not have reached the trail or the target, so the"
                        + " group stops before it instead of reading on: " + caught, caught));
            }
            Throwable swallowed = StageFailure.of(exchange);
            if (swallowed != null) {
                throw new RouteFailedException(new IllegalStateException("RTR-01624 " + program + " " + group + ": " + swallowed
                        + " failed in route " + exchange.getFromRouteId() + " and the route went on (onException continued: true,"
                        + " doTry/doCatch): the batch may not have reached the trail or the target, so the group stops before it"
                        + " instead of reading on", swallowed));
            }
            if (carriesData && expectsLastStage() && !StageFailure.wasReached(exchange)) {
                throw new RouteFailedException(new IllegalStateException("RTR-01628 " + program + " " + group + ": the batch "
                        + "completed route " + exchange.getFromRouteId() + " without reaching the group's " + lastStage() + ": a step"
                        + " dropped it (a filter, a stop, a choice without otherwise, or a copy such as wireTap or multicast took its"
                        + " place); it was not written or applied, so the group stops before it instead of reading on past it"));
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * A stop is under way: this consumer's, or already the context's — a step that waits (a pump retrying its remote
     * host) sees the context stopping before the shutdown strategy reaches this consumer's {@link #doStop}.
     */
    private boolean stopRequested() {
        CamelContext ctx = getEndpoint().getCamelContext();
        return stopping || ctx.isStopping() || ctx.isStopped();
    }

    private void abended(Throwable cause) {
        if (abandoned) {
            LOG.warn("{} {}: failed after the stop gave up on its thread {}; its checkpoint stays before it: {}", program, group,
                    where(), cause.toString());
            return;
        }
        abend(cause);
    }

    private void abend(Throwable cause) {
        abended = true;
        LOG.error("OGG-01668 PROCESS ABENDING: {} {} {}: {}", program, group, where(), cause.toString(), cause);
        runtime().abend(cause);
    }

    @Override
    protected void doStop() throws Exception {
        if (claimRefused) { // another consumer of this JVM reads the group: its runtime and lock are not this one's
            super.doStop();
            return;
        }
        stopping = true;
        // the shutdown strategy interrupts this thread at its own timeout: the waits and the files below are still
        // the stop's (an interrupted thread's FileChannel write fails), so the flag is set again only at the end
        boolean[] interrupted = {Thread.interrupted()};
        try {
            if (executor != null) {
                ExecutorService ended = executor;
                if (!endThread(ended, interrupted)) {
                    // it may still complete its exchange and write the checkpoint: no stopped checkpoint over it, no
                    // lock released under it, no consumer of the group started beside it (doStart)
                    runtime().consumerNotStopped(() -> !ended.isTerminated());
                    abandoned = true;
                    abend(new IllegalStateException(program + " " + group + ": consumer thread did not stop within "
                            + 2 * shutdownTimeout() + " ms (the shutdown timeout, an interrupt, the timeout again); the group"
                            + " keeps its lock while that thread runs and its checkpoint stays the last one written"));
                    super.doStop();
                    return;
                }
                executor = null;
                try {
                    if (!abended) stopped();
                } catch (RuntimeException e) {
                    // the position is already on disk (written after each exchange): only the stopped status is missing
                    LOG.warn("{} {}: final checkpoint not written at stop: {}", program, group, e.toString());
                }
            }
            // a consumer whose start was refused for a thread still running (doStart) leaves that thread the lock
            if (!runtime().consumerStillRuns()) runtime().stopped();
            super.doStop();
        } finally {
            if (interrupted[0] || Thread.interrupted()) Thread.currentThread().interrupt();
        }
    }

    /** camel.main.shutdown-timeout in milliseconds. */
    private long shutdownTimeout() {
        CamelContext ctx = getEndpoint().getCamelContext();
        return ctx.getShutdownStrategy().getTimeUnit().toMillis(ctx.getShutdownStrategy().getTimeout());
    }

    /**
     * The exchange in flight finishes within the shutdown timeout, else the thread is interrupted and gets the
     * timeout again; true when the thread ended. An interrupt of this thread is cleared and noted in {@code interrupted}.
     */
    private boolean endThread(ExecutorService ex, boolean[] interrupted) {
        long timeout = shutdownTimeout();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * timeout);
        getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(ex, timeout);
        if (ex.isTerminated()) return true;
        // shutdownGraceful gives up at once when this thread is interrupted (the shutdown strategy's own timeout):
        // the consumer's thread was interrupted, and it still gets the rest of its time to end
        if (Thread.interrupted()) interrupted[0] = true;
        ex.shutdownNow();
        try {
            return ex.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            interrupted[0] = true;
            return ex.isTerminated();
        }
    }

    // kept once found: the context's registry is emptied while the context stops
    private volatile GroupRuntime runtime;

    /** The group's runtime state (process status, report, abend) in this consumer's CamelContext. */
    protected final GroupRuntime runtime() {
        if (runtime == null) runtime = GroupRuntimes.of(getEndpoint().getCamelContext(), home, group);
        return runtime;
    }

    /** A failure of the route (not of reading): its error handler has seen it already. */
    private static final class RouteFailedException extends Exception {
        RouteFailedException(Exception cause) {
            super(cause);
        }
    }
}
