package io.redotrail.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One random damage to one file: a flipped byte, a run of zeroed bytes, or a truncation. Positions are weighted
 * towards the file kind's hot spots (length fields, CRCs, headers) and the file's last record.
 */
record Damage(String what, long at, int length) {

    static Damage pick(Random rnd, byte[] bytes, List<Long> hot) {
        long size = bytes.length;
        int r = rnd.nextInt(10);
        long at;
        if (r < 5 && !hot.isEmpty()) {
            at = hot.get(rnd.nextInt(hot.size())) + rnd.nextInt(4);
        } else if (r < 8) {
            long tail = Math.min(size, 64 + rnd.nextInt(64)); // the last record
            at = size - 1 - (tail <= 1 ? 0 : rnd.nextInt((int) tail));
        } else {
            at = (long) (rnd.nextDouble() * size);
        }
        at = Math.max(0, Math.min(size - 1, at));
        int kind = rnd.nextInt(10);
        if (kind < 4) return new Damage("flip", at, 1 + rnd.nextInt(255));
        if (kind < 7) return new Damage("zero", at, (int) Math.min(size - at, 1 + rnd.nextInt(16)));
        return new Damage("truncate", at, 0);
    }

    void apply(Path file, byte[] bytes) throws IOException {
        switch (what) {
            case "flip" -> {
                bytes[(int) at] ^= (byte) length;
                Files.write(file, bytes);
            }
            case "zero" -> {
                for (int i = 0; i < length; i++) bytes[(int) at + i] = 0;
                Files.write(file, bytes);
            }
            default -> {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(at);
                }
            }
        }
    }

    @Override
    public String toString() {
        return switch (what) {
            case "flip" -> "byte " + at + " xor 0x" + Integer.toHexString(length);
            case "zero" -> length + " bytes zeroed at " + at;
            default -> "truncated to " + at + " bytes";
        };
    }

    /**
     * Starts of the frames of a framed file from {@code from}: {@code lenAt + 4 + len + after} bytes per frame, where
     * {@code len} is the i32 at the frame start; each frame contributes its start, the word after the length and,
     * when {@code after > 0}, its trailing CRC.
     */
    static List<Long> frames(byte[] b, long from, int before, int after) {
        List<Long> hot = new ArrayList<>();
        long pos = from;
        while (pos + 4 <= b.length) {
            int len = ByteBuffer.wrap(b, (int) pos, 4).getInt();
            hot.add(pos);
            hot.add(pos + 4);
            long end = pos + before + (long) len + after;
            if (len <= 0 || end > b.length) break;
            if (after > 0) hot.add(end - after);
            pos = end;
        }
        return hot;
    }

    /** Line starts of a text file, and its CRC trailer line. */
    static List<Long> lines(byte[] b) {
        List<Long> hot = new ArrayList<>();
        hot.add(0L);
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] == '\n') hot.add((long) i + 1);
        }
        int crc = new String(b, StandardCharsets.ISO_8859_1).lastIndexOf("crc32c");
        if (crc >= 0) {
            for (int i = 0; i < 4; i++) hot.add((long) crc + 7 + i);
        }
        return hot;
    }
}
