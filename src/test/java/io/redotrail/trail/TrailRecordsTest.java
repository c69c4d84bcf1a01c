package io.redotrail.trail;

import io.redotrail.core.BinaryWriter;
import io.redotrail.core.CorruptFileException;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The writer's recovery scan and the reader check records through one {@link TrailRecords}: they refuse alike. */
class TrailRecordsTest {
    @TempDir
    Path dir;

    @Test
    void aTransactionBeginningInsideAnotherIsRefusedAlikeByScanAndReader() throws Exception {
        Path trail = dir.resolve("ex");
        Path file = TrailFormat.fileOf(trail, 0);
        BinaryWriter w = new BinaryWriter();
        TrailFormat.writeHeader(w, new TrailFormat.FileHeader(TrailFormat.FORMAT_VERSION, "ex", 0, 1L, "EXT1", 0, List.of()));
        BinaryWriter two = new BinaryWriter();
        RowRecords.writeTransaction(two, TrailTestData.tx(1, 2));
        byte[] records = two.toByteArray();
        int begin = ByteBuffer.wrap(records).getInt(0) + TrailFormat.FRAME;
        w.bytes(Arrays.copyOf(records, begin)); // transaction 1's BEGIN record, valid CRC, without its END
        long bad = w.position();
        RowRecords.writeTransaction(w, TrailTestData.tx(2, 1)); // a WHOLE record while transaction 1 is open
        Files.write(file, w.toByteArray());

        String why = "TransInd " + TrailFormat.TRANS_WHOLE + " out of sequence in XID " + TrailTestData.tx(1, 2).xid();
        CorruptFileException scanned = assertThrows(CorruptFileException.class, () -> TrailScan.scan(file, 0));
        assertEquals(file + " at byte " + bad + ": " + why, scanned.getMessage());
        try (TrailReader reader = new TrailReader(trail, TrailPosition.START)) {
            CorruptFileException read = assertThrows(CorruptFileException.class, () -> reader.poll(100));
            assertEquals(file.toAbsolutePath() + " at byte " + bad + ": trail seqno 0 RBA " + bad + ": " + why, read.getMessage());
        }
    }
}
