package io.redotrail.report;

import java.util.List;

/**
 * Answers one control command sent to a running group ({@code SEND EXTRACT EXT1, SHOWTRANS}):
 * {@code verb} upper case, {@code args} the remaining words as typed. The reply is printed by GGSCI as is.
 * Runs on the control channel's thread: a handler that touches route state must hand the work to the route
 * thread (see {@code io.redotrail.extract.ExtractControl}).
 */
@FunctionalInterface
public interface ControlHandler {
    String handle(String verb, List<String> args) throws Exception;

    /**
     * A handler whose answer takes a while (the Manager starting a collector's JVM for a pump): it calls
     * {@code alive} now and then, which sends the client one blank ahead of the reply (clients strip leading
     * blanks), so a client can bound each read by its own timeout and still wait for a slow answer — and tell a
     * Manager that works from a link that died half-open. {@code alive} throws UncheckedIOException once the client
     * is gone.
     */
    @FunctionalInterface
    interface Slow extends ControlHandler {
        String handle(String verb, List<String> args, Runnable alive) throws Exception;

        @Override
        default String handle(String verb, List<String> args) throws Exception {
            return handle(verb, args, () -> { });
        }
    }
}
