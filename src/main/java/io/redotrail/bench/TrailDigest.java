package io.redotrail.bench;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Transaction;
import io.redotrail.trail.RowRecords;
import io.redotrail.trail.TrailFormat;
import io.redotrail.trail.TrailReader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a trail holds, to check a copy against its original: transactions, row changes, the last CSN and a SHA-256
 * over every transaction's XID, CSN and ROW records in trail order (the trail's own encoding; sealed images of an
 * encrypted trail byte for byte, so no key is needed). File headers and positions are left out: the copy is
 * another trail. Also the bytes of the trail's files. Immutable.
 */
record TrailDigest(long transactions, long rows, long lastCsn, String sha256, long fileBytes) {

    /** Reads {@code trail} (a prefix path, e.g. {@code home/dirdat/ha}) from its start to its end. */
    static TrailDigest of(Path trail) {
        MessageDigest sha = newSha256();
        BinaryWriter w = new BinaryWriter(1 << 16);
        long txs = 0, rows = 0, last = 0;
        try (TrailReader r = new TrailReader(trail, TrailPosition.START)) {
            while (true) {
                var batch = r.poll(50_000);
                if (batch.isEmpty()) break;
                for (Transaction t : batch) {
                    w.clear();
                    w.string(t.xid().toString());
                    w.i64(t.csn().value());
                    RowRecords.writeTransaction(w, t);
                    sha.update(w.array(), 0, w.position());
                    txs++;
                    rows += t.size();
                    last = t.csn().value();
                }
            }
        }
        return new TrailDigest(txs, rows, last, HexFormat.of().formatHex(sha.digest()), fileBytes(trail));
    }

    /** Bytes of the trail's files. */
    static long fileBytes(Path trail) {
        long sum = 0;
        for (long seqno : TrailFormat.seqnos(trail)) {
            try {
                sum += Files.size(TrailFormat.fileOf(trail, seqno));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot size a file of trail " + trail, e);
            }
        }
        return sum;
    }

    /** Null when {@code copy} holds exactly what this trail holds, else what differs. */
    String mismatch(TrailDigest copy) {
        if (copy.transactions != transactions || copy.rows != rows || copy.lastCsn != lastCsn || !copy.sha256.equals(sha256)) {
            return String.format("the copy holds %,d transactions, %,d row changes, last CSN %d, SHA-256 %s; the source trail %,d,"
                    + " %,d, last CSN %d, SHA-256 %s", copy.transactions, copy.rows, copy.lastCsn, copy.sha256.substring(0, 16),
                    transactions, rows, lastCsn, sha256.substring(0, 16));
        }
        return null;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
