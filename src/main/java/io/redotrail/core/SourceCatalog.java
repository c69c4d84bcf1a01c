package io.redotrail.core;

/**
 * Tables of the simulated source database that are its own bookkeeping, not application data: never listed as
 * source tables (target create, verify, TABLE checks) and never written through the redo.
 */
public final class SourceCatalog {
    /** The commit SCN up to which the source holds what its redo committed, and whether a workload ended cleanly. */
    public static final String REDO_APPLIED = "RTSYS.REDO_APPLIED";

    private SourceCatalog() {
    }

    /** Whether {@code table} (OWNER.TABLE) is bookkeeping of the source: this catalog's or the heartbeat seed. */
    public static boolean internal(String table) {
        return table.equals(REDO_APPLIED) || table.equals(Heartbeat.SEED);
    }
}
