package io.redotrail.replicat.mapping;

import java.util.List;

/**
 * One parsed {@code MAP source, TARGET target [, COLMAP (...)] [, KEYCOLS (...)]} statement. Names are upper
 * case unless they were written in double quotes; {@code *} and {@code ?} in a source name are wildcards, a
 * target part that is exactly {@code *} takes the source's part. Immutable.
 *
 * @param number     1-based statement number in the {@code map} property
 * @param text       the statement as written (for messages)
 * @param offset     0-based character offset of the statement in the property
 */
public record MapStatement(int number, String text, int offset, String sourceOwner, String sourceTable,
                           String targetOwner, String targetTable, boolean useDefaults, List<ColMapEntry> colMap,
                           List<String> keyCols) {

    /** A COLMAP item: {@code target = expression}. */
    public record ColMapEntry(String targetColumn, Expr expr) {
    }

    /** Right-hand side of a COLMAP item. */
    public sealed interface Expr permits Column, Constant, Token {
    }

    /** A source column (rename). */
    public record Column(String name) implements Expr {
    }

    /** A literal: String, Long, BigDecimal or null (NULL). */
    public record Constant(Object value) implements Expr {
    }

    /** An {@code @GETENV(...)} value, resolved per operation. */
    public record Token(Kind kind) implements Expr {
    }

    public enum Kind {
        /** @GETENV('TRANSACTION','CSN'): the commit SCN, as a number */
        CSN,
        /** @GETENV('TRANSACTION','XID'): the source transaction id, as text */
        XID,
        /** @GETENV('GGHEADER','COMMITTIMESTAMP'): source commit time, TIMESTAMP (UTC wall clock) */
        COMMIT_TIMESTAMP,
        /** @GETENV('GGHEADER','OPTYPE'): INSERT, UPDATE, PK UPDATE (PKUPDATE) or DELETE */
        OPTYPE,
        /** @GETENV('GGHEADER','TABLENAME'): the source OWNER.TABLE */
        TABLENAME
    }

    public boolean sourceIsWildcard() {
        return isWildcard(sourceOwner) || isWildcard(sourceTable);
    }

    public boolean targetIsWildcard() {
        return "*".equals(targetOwner) || "*".equals(targetTable);
    }

    /** True when {@code owner.table} (upper case) matches the source name. */
    public boolean matches(String owner, String table) {
        return glob(sourceOwner == null ? "*" : sourceOwner, owner) && glob(sourceTable, table);
    }

    /** Whether this statement may write into target {@code owner.table} (a {@code *} target part takes any). */
    public boolean mayTarget(String owner, String table) {
        boolean o = "*".equals(targetOwner) || targetOwner == null || targetOwner.isEmpty() || targetOwner.equals(owner);
        return o && ("*".equals(targetTable) || targetTable.equals(table));
    }

    /** Target OWNER.TABLE for a matching source table. */
    public String targetFor(String owner, String table) {
        String o = "*".equals(targetOwner) ? owner : targetOwner;
        String t = "*".equals(targetTable) ? table : targetTable;
        return o == null || o.isEmpty() ? t : o + "." + t;
    }

    /** "statement 2 (MAP POS_USER9.ORDERS, TARGET ...)" */
    public String describe() {
        String t = text.strip();
        if (t.length() > 120) t = t.substring(0, 117) + "...";
        return "MAP statement " + number + " (" + t + ")";
    }

    static boolean isWildcard(String s) {
        return s != null && (s.indexOf('*') >= 0 || s.indexOf('?') >= 0);
    }

    static boolean glob(String pattern, String s) {
        return glob(pattern, 0, s == null ? "" : s, 0);
    }

    private static boolean glob(String p, int i, String s, int j) {
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '*') {
                for (int k = j; k <= s.length(); k++) {
                    if (glob(p, i + 1, s, k)) return true;
                }
                return false;
            }
            if (j >= s.length() || (c != '?' && c != s.charAt(j))) return false;
            i++;
            j++;
        }
        return j == s.length();
    }
}
