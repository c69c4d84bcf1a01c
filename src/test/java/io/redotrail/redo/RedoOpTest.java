package io.redotrail.redo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class RedoOpTest {

    @Test
    void everyOpIsFoundByItsCodeAndNoOtherCodeFindsOne() {
        for (RedoOp op : RedoOp.values()) assertSame(op, RedoOp.ofCode(op.code()));
        // the reader turns null into "unknown redo op code": the heartbeat and end-of-log codes, and garbage
        for (int code : new int[]{-1, 0, 7, 8, 0x7F, 0xFF, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            assertNull(RedoOp.ofCode(code), "code " + code);
        }
    }
}
