package io.redotrail.trail.camel;

import org.apache.camel.spi.Metadata;

/**
 * Exchange headers of the {@code trail:} component (listed in its component JSON through {@code headersClass}).
 * The values are part of the route contract: user routes keep {@link #READ_CHECKPOINT} and
 * {@link #TRAIL_CAUGHT_UP} by name.
 */
public final class TrailConstants {
    private TrailConstants() {
    }

    @Metadata(javaType = "Object",
            description = "Read checkpoint that becomes durable once the exchange's transactions are durable downstream."
                    + " Consumer: an io.redotrail.checkpoint.TrailReadCheckpoint whose current position is the end of the"
                    + " batch's last transaction. Producer: written with the write position to dirchk/GROUP.cpe after the"
                    + " trail is forced; a list of io.redotrail.checkpoint.RedoReadCheckpoint (primary Extract) or a"
                    + " TrailReadCheckpoint (pump). A step must not drop it")
    public static final String READ_CHECKPOINT = "RedotrailReadCheckpoint";

    @Metadata(label = "producer", javaType = "io.redotrail.checkpoint.BrPoints",
            description = "Set by the extract when it took a Bounded Recovery checkpoint: the producer records it in the"
                    + " process checkpoint at once (for INFO EXTRACT, SHOWCH)")
    public static final String BR_CHECKPOINT = "RedotrailBrCheckpoint";

    @Metadata(label = "consumer", javaType = "Boolean",
            description = "True when the exchange carries everything the trail held when it was read (the reader caught up"
                    + " with its writer), false when more is already waiting. The Replicat keeps a GROUPTRANSOPS group open"
                    + " across exchanges while more is waiting. Absent = true")
    public static final String TRAIL_CAUGHT_UP = "RedotrailTrailCaughtUp";

    @Metadata(javaType = "long",
            description = "Number of row changes carried by the exchange. Consumer: rows read; producer: rows written"
                    + " (transactions already in the trail not counted)")
    public static final String ROW_COUNT = "RedotrailRowCount";
}
