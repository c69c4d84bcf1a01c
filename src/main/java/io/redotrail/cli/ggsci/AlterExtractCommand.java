package io.redotrail.cli.ggsci;

/** {@code ALTER EXTRACT group, ETROLLOVER | EXTSEQNO n, EXTRBA m} (primary extract and pump). */
final class AlterExtractCommand extends AlterCommand {
    AlterExtractCommand() {
        super("EXTRACT");
    }
}
