package io.redotrail.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class RowImageTest {
    /** A name read from a trail and the same name from the target's catalog are one instance. */
    @Test
    void namesReadFromBytesAreTheCanonicalInstance() {
        byte[] b = "ORDER_ID".getBytes(StandardCharsets.UTF_8);
        String read = new NameCache().decode(b, 0, b.length);
        String catalog = NameCache.canonical(new StringBuilder("order_id").toString().toUpperCase(java.util.Locale.ROOT));
        assertSame(catalog, read);
        assertSame(read, new NameCache().decode(b, 0, b.length), "another reader's cache");
    }

    /** indexOf finds a column by identity or, for a name that is not canonical (a COLMAP target, say), by its characters. */
    @Test
    void indexOfFindsCanonicalAndOtherwiseBuiltNames() {
        String[] cols = {NameCache.canonical("ID"), new String("NAME".toCharArray()), NameCache.canonical("PRICE")};
        RowImage img = new RowImage(cols, new Object[]{1L, "a", null});
        assertEquals(0, img.indexOf("ID"));
        assertEquals(1, img.indexOf("NAME"));
        assertEquals(2, img.indexOf(new String("PRICE".toCharArray())));
        assertEquals(-1, img.indexOf("id"));
        assertEquals(-1, img.indexOf("QTY"));
    }
}
