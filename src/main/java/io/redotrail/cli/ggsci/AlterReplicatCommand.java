package io.redotrail.cli.ggsci;

/** {@code ALTER REPLICAT group, EXTSEQNO n, EXTRBA m}. */
final class AlterReplicatCommand extends AlterCommand {
    AlterReplicatCommand() {
        super("REPLICAT");
    }
}
