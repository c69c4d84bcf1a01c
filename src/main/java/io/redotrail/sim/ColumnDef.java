package io.redotrail.sim;

import java.util.Objects;

/**
 * One column of a simulated table: upper-case name, SQL type as written in DDL (portable between H2 and
 * PostgreSQL), Java value type and nullability. Immutable, thread-safe.
 */
public record ColumnDef(String name, String sqlType, ColumnType type, boolean nullable) {

    public ColumnDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sqlType, "sqlType");
        Objects.requireNonNull(type, "type");
    }

    public static ColumnDef notNull(String name, String sqlType, ColumnType type) {
        return new ColumnDef(name, sqlType, type, false);
    }

    public static ColumnDef nullable(String name, String sqlType, ColumnType type) {
        return new ColumnDef(name, sqlType, type, true);
    }

    /** {@code NAME TYPE [NOT NULL]} for CREATE TABLE. */
    public String ddl() {
        return name + " " + sqlType + (nullable ? "" : " NOT NULL");
    }
}
