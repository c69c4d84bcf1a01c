package io.redotrail.camel;

import org.apache.camel.Exchange;

/**
 * A stage of the pipeline (the Extract's aggregator, a pump's table selection, a trail producer, the Replicat's
 * applier) failed on an exchange: marked on the exchange before the exception goes to the route, so that a route
 * that swallows it (onException with {@code continued: true}, doTry/doCatch) cannot make its group read on past a
 * batch that was not written or applied ({@link GroupConsumer} abends instead). The last stage also marks each
 * exchange it takes ({@link #reached}), so that a batch a route step dropped (a filter, a stop) is seen too. Stateless.
 */
public final class StageFailure {
    /** Exchange property: the stage's exception, once it failed. */
    public static final String PROPERTY = "RedotrailStageFailure";

    private StageFailure() {
    }

    /**
     * Runs a pipeline stage on {@code exchange}: a failure is marked before it goes to the route ({@link #mark});
     * {@code last} (a trail producer, the Replicat's applier): the exchange is marked as taken ({@link #reached}).
     */
    public static void run(Exchange exchange, boolean last, java.util.function.Consumer<Exchange> stage) {
        if (last) reached(exchange);
        try {
            stage.accept(exchange);
        } catch (RuntimeException e) {
            throw mark(exchange, e); // seen by the group even if the route swallows it
        }
    }

    /** Records {@code failure} on {@code exchange} and returns it, for {@code throw StageFailure.mark(e, x)}. */
    public static <T extends Throwable> T mark(Exchange exchange, T failure) {
        exchange.setProperty(PROPERTY, failure);
        return failure;
    }

    /** Exchange property: the group's last stage (trail producer, Replicat applier) took the exchange. */
    public static final String REACHED = "RedotrailStageReached";

    /** Marks that the group's last stage took {@code exchange}: a batch without the mark was dropped on the way. */
    public static void reached(Exchange exchange) {
        exchange.setProperty(REACHED, Boolean.TRUE);
    }

    public static boolean wasReached(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(REACHED, Boolean.class));
    }

    /** The failure a stage recorded on {@code exchange}, or null. */
    public static Throwable of(Exchange exchange) {
        return exchange.getProperty(PROPERTY, Throwable.class);
    }
}
