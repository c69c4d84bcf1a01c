package io.redotrail.cli.ggsci;

/** {@code SEND EXTRACT group, STATUS | SHOWTRANS | SKIPTRANS | FORCETRANS}. */
final class SendExtractCommand extends SendCommand {
    SendExtractCommand() {
        super("EXTRACT");
    }
}
