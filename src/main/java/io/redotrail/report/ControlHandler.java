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
}
