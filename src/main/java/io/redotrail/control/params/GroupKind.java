package io.redotrail.control.params;

import io.redotrail.checkpoint.ProcessCheckpoint;

import java.util.Locale;

/**
 * What a group is, as its checkpoint file defines it (the group's definition, written by GGSCI ADD): a primary
 * Extract reads redo, a pump is an EXTRACT whose checkpoint has a trail read checkpoint ({@code ADD EXTRACT p,
 * EXTTRAILSOURCE ...}), a Replicat has a {@code .cpr}. Each kind runs its own route file
 * ({@code routes/extract.yaml}, {@code pump.yaml}, {@code replicat.yaml}).
 */
public enum GroupKind {
    EXTRACT("EXTRACT", "primary Extract"),
    PUMP("EXTRACT", "data pump"),
    REPLICAT("REPLICAT", "Replicat");

    private final String program;
    private final String description;

    GroupKind(String program, String description) {
        this.program = program;
        this.description = description;
    }

    /** The kind the checkpoint defines: REPLICAT, else PUMP when it reads a trail, else EXTRACT. */
    public static GroupKind of(ProcessCheckpoint cp) {
        if ("REPLICAT".equalsIgnoreCase(cp.processType())) return REPLICAT;
        return cp.trailRead() != null ? PUMP : EXTRACT;
    }

    /** GoldenGate's program name: EXTRACT (primary Extract and pump) or REPLICAT. */
    public String program() {
        return program;
    }

    /** "primary Extract", "data pump", "Replicat": for messages. */
    public String description() {
        return description;
    }

    /** The route file of the kind: {@code extract.yaml}, {@code pump.yaml}, {@code replicat.yaml}. */
    public String routeFile() {
        return name().toLowerCase(Locale.ROOT) + ".yaml";
    }
}
