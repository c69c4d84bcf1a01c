package io.redotrail.redo.camel;

import org.apache.camel.spi.Metadata;

/** Exchange headers of the {@code redo:} component (listed in its component JSON through {@code headersClass}). */
public final class RedoConstants {
    private RedoConstants() {
    }

    @Metadata(label = "consumer", javaType = "long",
            description = "Number of row changes (INSERT, UPDATE, DELETE records) in the exchange's RedoBatch; 0 in an idle batch")
    public static final String ROW_COUNT = "RedotrailRowCount";

    @Metadata(label = "consumer", javaType = "boolean",
            description = "True when reading reached the end of the redo written so far (GoldenGate's At EOF): the"
                    + " batch holds fewer records than maxBatchRecords")
    public static final String CAUGHT_UP = "RedotrailRedoCaughtUp";
}
