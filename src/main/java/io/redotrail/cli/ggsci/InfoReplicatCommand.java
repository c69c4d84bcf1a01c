package io.redotrail.cli.ggsci;

/** {@code INFO REPLICAT group [, SHOWCH]}. */
final class InfoReplicatCommand extends InfoGroupCommand {
    InfoReplicatCommand() {
        super("REPLICAT");
    }
}
