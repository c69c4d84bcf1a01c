package io.redotrail.camel;

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
import java.util.function.Consumer;

/**
 * The lifecycle of a process group's consumer ({@code redo:}, {@code trail:}): one thread of its own from the
 * CamelContext's ExecutorServiceManager, exchanges handed to the route synchronously (the next read happens after
 * the previous exchange finished: backpressure, order of the stream = order on disk).
 * <ul>
 * <li>Start: the group's lock, pid file and report line, then {@link #open()} (a failure there is a start-up
 * refusal: the group abends and the route does not start).</li>
 * <li>Stop: no new read starts; the exchange in flight finishes (up to the context's shutdown timeout, then the
 * thread is interrupted), {@link #stopped()} runs, the group's lock is released.</li>
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
        super.doStart();
        runtime().started(program);
        stopping = false;
        abended = false;
        try {
            open();
        } catch (Exception e) {
            abended(e);
            runtime().stopped();
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
            }
        }
    }

    /**
     * Hands one exchange to the route and waits for it. A failure the route did not handle is thrown as
     * {@link RouteFailedException}, which ends the loop: nothing after it is read or delivered.
     */
    protected final void deliver(Consumer<Message> fill) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            fill.accept(exchange.getIn());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) throw new RouteFailedException(exchange.getException());
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
        abended = true;
        LOG.error("OGG-01668 PROCESS ABENDING: {} {} {}: {}", program, group, where(), cause.toString(), cause);
        runtime().abend(cause);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        if (executor != null) {
            CamelContext ctx = getEndpoint().getCamelContext();
            // the exchange in flight finishes within the context's shutdown timeout (camel.main.shutdown-timeout)
            long timeout = ctx.getShutdownStrategy().getTimeUnit().toMillis(ctx.getShutdownStrategy().getTimeout());
            ctx.getExecutorServiceManager().shutdownGraceful(executor, timeout);
            executor = null;
            try {
                if (!abended) stopped();
            } catch (RuntimeException e) {
                // the position is already on disk (written after each exchange): only the stopped status is missing
                LOG.warn("{} {}: final checkpoint not written at stop: {}", program, group, e.toString());
            }
        }
        runtime().stopped();
        super.doStop();
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
