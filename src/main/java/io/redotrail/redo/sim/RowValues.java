package io.redotrail.redo.sim;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Column values for the demo tables of {@link SourceSchema}: new rows and plausible updates, with
 * multibyte text (Chinese, Japanese, Korean, Cyrillic, an emoji), quotes, NULLs, decimals at the column's
 * scale, dates and timestamps taken from the workload clock. Row arrays are never modified once made.
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

    private final SplittableRandom rnd;

    RowValues(SplittableRandom rnd) {
        this.rnd = rnd;
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
