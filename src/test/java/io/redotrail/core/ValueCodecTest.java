package io.redotrail.core;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValueCodecTest {
    /**
     * A DECIMAL of up to 8 bytes of digits is read as a long, a longer one through BigInteger: both give back the
     * very value written (unscaled value and scale, so equals holds), at every byte-length boundary and sign.
     */
    @Test
    void decimalsReadBackExactlyOnBothSidesOfEightBytes() {
        List<BigDecimal> values = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.00"), BigDecimal.ONE,
                new BigDecimal("-1"), new BigDecimal("-3.25"), new BigDecimal("1E+30"), new BigDecimal("12.50"),
                BigDecimal.valueOf(Long.MAX_VALUE, 2), BigDecimal.valueOf(Long.MIN_VALUE, 4),
                new BigDecimal(BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), 3),
                new BigDecimal(BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE), 0),
                new BigDecimal("-12345678901234567890.000000000123456789")));
        for (int bits = 1; bits <= 80; bits++) {
            BigInteger p = BigInteger.ONE.shiftLeft(bits);
            for (BigInteger u : List.of(p, p.subtract(BigInteger.ONE), p.negate(), p.negate().add(BigInteger.ONE))) {
                values.add(new BigDecimal(u, bits % 7 - 2));
            }
        }
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) values.add(BigDecimal.valueOf(rnd.nextLong() >> rnd.nextInt(64), rnd.nextInt(20) - 5));
        for (BigDecimal d : values) {
            BinaryWriter w = new BinaryWriter();
            ValueCodec.writeValue(w, d);
            byte[] bytes = w.toByteArray();
            Object back = ValueCodec.readValue(new BinaryReader(bytes, 0, bytes.length, null, 0));
            assertEquals(d, back, "read back " + d + " (" + d.unscaledValue().toByteArray().length + " bytes)");
            assertEquals(d.scale(), ((BigDecimal) back).scale());
        }
    }
}
