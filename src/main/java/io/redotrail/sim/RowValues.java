package io.redotrail.sim;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Column values for the demo tables of {@link SourceSchema}: new rows and plausible updates, with
 * multibyte text (Chinese, Japanese, Korean, Cyrillic, an emoji), quotes, NULLs, decimals at the column's
 * scale (DECIMAL(38,10) at full precision: up to 38 significant digits), 1 MB character values in
 * PRODUCT.SPEC (share {@code lobRatio} of its writes), dates and timestamps taken from the workload clock. Row arrays are never modified once made.
 * Deterministic for a given random stream. Not thread-safe (shares the generator's random).
 */
final class RowValues {
    private static final String[] NAMES = {"张伟", "王芳", "李娜", "刘洋", "山田太郎", "佐藤花子", "鈴木一郎",
            "김민준", "Ольга Петрова", "John Smith", "Zoë Müller", "O'Brien & Sons", "陳大文", "高橋 美咲"};
    private static final String[] MEMOS = {"工资", "房租转账", "家賃の支払い", "refund", "invoice 2024/117",
            "生活費 (August)", "電気代", "借款还款", "gift 🎁", "split bill, 50/50"};
    private static final String[] NOTES = {"请尽快发货", "配送は午前中希望", "leave at the door", "需要发票",
            "ギフト包装をお願いします", "call before delivery: 010-1234", "\"fragile\""};
    private static final String[] PRODUCTS = {"緑茶 500ml", "乌龙茶", "おにぎり 鮭", "Coffee beans 1kg", "牛奶 1L",
            "カップ麺", "Sparkling water", "月饼礼盒", "味噌汁セット", "Apple (Fuji)"};
    private static final String[] ACCOUNT_STATUS = {"OPEN", "OPEN", "OPEN", "FROZEN", "CLOSED"};
    private static final String[] ORDER_STATUS = {"NEW", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"};

    private static final String[] AUDIT_ACTIONS = {"LOGIN", "TRANSFER", "FREEZE", "LIMIT_CHANGE", "審査", "照会"};

    private final SplittableRandom rnd;
    private final double lobRatio;

    RowValues(SplittableRandom rnd) {
        this(rnd, 0);
    }

    RowValues(SplittableRandom rnd, double lobRatio) {
        this.rnd = rnd;
        this.lobRatio = lobRatio;
    }

    /**
     * A new row with the given key. {@code account} supplies existing account ids for TRANSFER (may give
     * null when there are none).
     */
    Object[] newRow(TableDef t, List<Object> key, long nowMillis, java.util.function.Supplier<Long> account) {
        LocalDateTime now = timestamp(nowMillis);
        return switch (t.name()) {
            case SourceSchema.ACCOUNT -> new Object[]{key.get(0), pick(NAMES), money(1_000_000_0000L, 4),
                    pick(ACCOUNT_STATUS), rnd.nextInt(10) == 0 ? null : LocalDate.of(2000, 1, 1).plusDays(rnd.nextInt(9000)),
                    now};
            case SourceSchema.TRANSFER -> new Object[]{key.get(0), orZero(account.get()), orZero(account.get()),
                    money(50_000_0000L, 4), rnd.nextInt(4) == 0 ? null : pick(MEMOS), now};
            case SourceSchema.ORDERS -> new Object[]{key.get(0), pick(NAMES), now.toLocalDate().minusDays(rnd.nextInt(30)),
                    money(10_000_00L, 2), "NEW", rnd.nextInt(3) == 0 ? pick(NOTES) : null, now};
            case SourceSchema.ORDER_LINE -> new Object[]{key.get(0), key.get(1), "SKU-" + (10000 + rnd.nextInt(90000)),
                    rnd.nextInt(5) == 0 ? null : pick(PRODUCTS), (long) (1 + rnd.nextInt(12)), money(2_000_00L, 2), null};
            case SourceSchema.AUDIT_LOG -> new Object[]{key.get(0), now, pick(NAMES), pick(AUDIT_ACTIONS),
                    rnd.nextInt(3) == 0 ? null : fullPrecision(), rnd.nextInt(3) == 0 ? null : pick(MEMOS)};
            case SourceSchema.PRODUCT -> new Object[]{key.get(0), pick(PRODUCTS), fullPrecision(),
                    rnd.nextInt(4) == 0 ? null : LocalDate.of(2010, 1, 1).plusDays(rnd.nextInt(5000)), spec(), now};
            default -> throw new IllegalArgumentException("no value generator for table " + t.name());
        };
    }

    /** A copy of {@code before} with one to three non-key columns changed. */
    Object[] updatedRow(TableDef t, Object[] before, long nowMillis) {
        Object[] row = before.clone();
        LocalDateTime now = timestamp(nowMillis);
        switch (t.name()) {
            case SourceSchema.ACCOUNT -> {
                row[2] = ((BigDecimal) row[2]).add(signedMoney(1_000_0000L, 4));
                if (rnd.nextInt(8) == 0) row[3] = pick(ACCOUNT_STATUS);
                if (rnd.nextInt(20) == 0) row[1] = pick(NAMES);
                if (rnd.nextInt(20) == 0) row[4] = row[4] == null ? LocalDate.of(2010, 6, 30) : null;
                row[5] = now;
            }
            case SourceSchema.TRANSFER -> {
                if (rnd.nextBoolean()) {
                    row[4] = rnd.nextInt(3) == 0 ? null : pick(MEMOS) + " #" + rnd.nextInt(1000);
                } else {
                    row[3] = money(50_000_0000L, 4);
                }
            }
            case SourceSchema.ORDERS -> {
                row[4] = pick(ORDER_STATUS);
                if (rnd.nextInt(3) == 0) row[3] = money(10_000_00L, 2);
                if (rnd.nextInt(4) == 0) row[5] = rnd.nextBoolean() ? null : pick(NOTES);
                row[6] = now;
            }
            case SourceSchema.ORDER_LINE -> {
                switch (rnd.nextInt(3)) {
                    case 0 -> row[4] = (long) (1 + rnd.nextInt(12));
                    case 1 -> row[5] = money(2_000_00L, 2);
                    default -> row[6] = row[6] == null ? now : null;
                }
                if (rnd.nextInt(10) == 0) row[3] = rnd.nextBoolean() ? null : pick(PRODUCTS);
            }
            case SourceSchema.AUDIT_LOG -> {
                if (rnd.nextBoolean()) row[4] = rnd.nextInt(4) == 0 ? null : fullPrecision();
                else row[5] = rnd.nextInt(4) == 0 ? null : pick(NOTES);
            }
            case SourceSchema.PRODUCT -> {
                switch (rnd.nextInt(3)) {
                    case 0 -> row[2] = fullPrecision();
                    case 1 -> row[4] = spec();
                    default -> row[3] = row[3] == null ? LocalDate.of(2020, 2, 29) : null;
                }
                row[5] = now;
            }
            default -> throw new IllegalArgumentException("no value generator for table " + t.name());
        }
        return row;
    }

    /** A copy of {@code before} moved to {@code newKey}, with the timestamp column (if any) refreshed. */
    Object[] movedRow(TableDef t, Object[] before, List<Object> newKey, long nowMillis) {
        Object[] row = before.clone();
        int[] keyIdx = t.keyIndexes();
        for (int k = 0; k < keyIdx.length; k++) {
            row[keyIdx[k]] = newKey.get(k);
        }
        int updatedAt = t.indexOf("UPDATED_AT");
        if (updatedAt >= 0) row[updatedAt] = timestamp(nowMillis);
        return row;
    }

    /** Clock time as a UTC wall-clock timestamp (millisecond precision, which every target keeps). */
    static LocalDateTime timestamp(long millis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(millis, 1000), (int) Math.floorMod(millis, 1000) * 1_000_000,
                ZoneOffset.UTC);
    }

    /** A DECIMAL(38,10) value with 1 to 38 significant digits, either sign. */
    private BigDecimal fullPrecision() {
        int digits = 1 + rnd.nextInt(38);
        StringBuilder sb = new StringBuilder(digits + 1);
        if (rnd.nextInt(4) == 0) sb.append('-');
        sb.append((char) ('1' + rnd.nextInt(9)));
        for (int i = 1; i < digits; i++) sb.append((char) ('0' + rnd.nextInt(10)));
        return new BigDecimal(new java.math.BigInteger(sb.toString()), 10);
    }

    /** PRODUCT.SPEC: NULL, a short text or (share lobRatio) a value of about 1 MB of characters. */
    private String spec() {
        if (lobRatio > 0 && rnd.nextDouble() < lobRatio) return lob();
        return rnd.nextInt(3) == 0 ? null : pick(PRODUCTS) + ": " + pick(NOTES);
    }

    /** Between LOB_CHARS - 4096 and LOB_CHARS characters of mixed ASCII and CJK text (no surrogate pairs). */
    private String lob() {
        int len = SourceSchema.LOB_CHARS - rnd.nextInt(4097);
        StringBuilder sb = new StringBuilder(len + 64);
        sb.append("spec #").append(rnd.nextLong(1_000_000_000L)).append('\n');
        while (sb.length() < len) {
            sb.append(pick(PRODUCTS)).append(" — ").append(pick(NOTES)).append("; ").append(pick(NAMES)).append('\n');
        }
        sb.setLength(len);
        return sb.toString();
    }

    private String pick(String[] values) {
        return values[rnd.nextInt(values.length)];
    }

    private BigDecimal money(long maxUnscaled, int scale) {
        return BigDecimal.valueOf(1 + rnd.nextLong(maxUnscaled), scale);
    }

    private BigDecimal signedMoney(long maxUnscaled, int scale) {
        return BigDecimal.valueOf(rnd.nextLong(-maxUnscaled, maxUnscaled), scale);
    }

    private static Long orZero(Long id) {
        return id == null ? 0L : id;
    }
}
