package io.redotrail.cli.ggsci;

/** {@code INFO EXTRACT group [, SHOWCH]} (primary extract and pump). */
final class InfoExtractCommand extends InfoGroupCommand {
    InfoExtractCommand() {
        super("EXTRACT");
    }
}
