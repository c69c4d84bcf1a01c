package io.redotrail.cli.ggsci;

/** {@code SEND REPLICAT group, STATUS}. */
final class SendReplicatCommand extends SendCommand {
    SendReplicatCommand() {
        super("REPLICAT");
    }
}
