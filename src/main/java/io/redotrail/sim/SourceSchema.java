package io.redotrail.sim;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.redotrail.sim.ColumnDef.notNull;
import static io.redotrail.sim.ColumnDef.nullable;
import static io.redotrail.sim.ColumnType.DATE;
import static io.redotrail.sim.ColumnType.DECIMAL;
import static io.redotrail.sim.ColumnType.LONG;
import static io.redotrail.sim.ColumnType.STRING;
import static io.redotrail.sim.ColumnType.TIMESTAMP;

/**
 * The demo tables of the simulated source, in two schemas (YDJK banking, POS_USER9 point of sale, names
 * from seed 000): four keyed tables (ORDER_LINE a child of ORDERS), the keyless {@link #AUDIT_LOG}, and
 * {@link #PRODUCT} with DECIMAL(38,10) and a 1 MB character column. Identifiers are unquoted upper case so the same DDL works on H2 and PostgreSQL.
 * Immutable, thread-safe.
 */
public final class SourceSchema {

    public static final String ACCOUNT = "YDJK.ACCOUNT";
    public static final String TRANSFER = "YDJK.TRANSFER";
    public static final String ORDERS = "POS_USER9.ORDERS";
    public static final String ORDER_LINE = "POS_USER9.ORDER_LINE";
    /** Keyless (no primary key): an append-mostly audit trail, as many legacy Oracle schemas have. */
    public static final String AUDIT_LOG = "YDJK.AUDIT_LOG";
    /** Full-precision DECIMAL(38,10) prices and a 1 MB character column (a CLOB in Oracle). */
    public static final String PRODUCT = "POS_USER9.PRODUCT";
    /** Length of {@code PRODUCT.SPEC}, in characters. */
    public static final int LOB_CHARS = 1_048_576;

    private static final SourceSchema DEMO = new SourceSchema(List.of(
            new TableDef(ACCOUNT, List.of(
                    notNull("ID", "BIGINT", LONG),
                    notNull("OWNER_NAME", "VARCHAR(100)", STRING),
                    notNull("BALANCE", "DECIMAL(20,4)", DECIMAL),
                    notNull("STATUS", "VARCHAR(10)", STRING),
                    nullable("OPENED_ON", "DATE", DATE),
                    notNull("UPDATED_AT", "TIMESTAMP", TIMESTAMP)),
                    List.of("ID"), null),
            new TableDef(TRANSFER, List.of(
                    notNull("ID", "BIGINT", LONG),
                    notNull("FROM_ACCOUNT", "BIGINT", LONG),
                    notNull("TO_ACCOUNT", "BIGINT", LONG),
                    notNull("AMOUNT", "DECIMAL(20,4)", DECIMAL),
                    nullable("MEMO", "VARCHAR(200)", STRING),
                    notNull("CREATED_AT", "TIMESTAMP", TIMESTAMP)),
                    List.of("ID"), null),
            new TableDef(ORDERS, List.of(
                    notNull("ORDER_ID", "BIGINT", LONG),
                    notNull("CUSTOMER", "VARCHAR(100)", STRING),
                    notNull("ORDER_DATE", "DATE", DATE),
                    notNull("TOTAL", "DECIMAL(18,2)", DECIMAL),
                    notNull("STATUS", "VARCHAR(10)", STRING),
                    nullable("NOTE", "VARCHAR(400)", STRING),
                    notNull("UPDATED_AT", "TIMESTAMP", TIMESTAMP)),
                    List.of("ORDER_ID"), null),
            new TableDef(ORDER_LINE, List.of(
                    notNull("ORDER_ID", "BIGINT", LONG),
                    notNull("LINE_NO", "BIGINT", LONG),
                    notNull("SKU", "VARCHAR(40)", STRING),
                    nullable("DESCRIPTION", "VARCHAR(200)", STRING),
                    notNull("QTY", "BIGINT", LONG),
                    notNull("UNIT_PRICE", "DECIMAL(12,2)", DECIMAL),
                    nullable("SHIPPED_AT", "TIMESTAMP", TIMESTAMP)),
                    List.of("ORDER_ID", "LINE_NO"), ORDERS),
            TableDef.keyless(AUDIT_LOG, List.of(
                    notNull("AUDIT_ID", "BIGINT", LONG),
                    notNull("EVENT_TIME", "TIMESTAMP", TIMESTAMP),
                    notNull("ACTOR", "VARCHAR(100)", STRING),
                    notNull("ACTION", "VARCHAR(30)", STRING),
                    nullable("AMOUNT", "DECIMAL(38,10)", DECIMAL),
                    nullable("DETAIL", "VARCHAR(400)", STRING)),
                    "AUDIT_ID"),
            new TableDef(PRODUCT, List.of(
                    notNull("PRODUCT_ID", "BIGINT", LONG),
                    notNull("NAME", "VARCHAR(200)", STRING),
                    notNull("PRICE", "DECIMAL(38,10)", DECIMAL),
                    nullable("RELEASED_ON", "DATE", DATE),
                    nullable("SPEC", "VARCHAR(" + LOB_CHARS + ")", STRING),
                    notNull("UPDATED_AT", "TIMESTAMP", TIMESTAMP)),
                    List.of("PRODUCT_ID"), null)));

    private final List<TableDef> tables;

    public SourceSchema(List<TableDef> tables) {
        this.tables = List.copyOf(tables);
        if (this.tables.isEmpty()) {
            throw new IllegalArgumentException("a source schema needs at least one table");
        }
        Set<String> names = new LinkedHashSet<>();
        for (TableDef t : this.tables) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("table " + t.name() + " defined twice");
            }
        }
        for (TableDef t : this.tables) {
            if (t.parentTable() != null && !names.contains(t.parentTable())) {
                throw new IllegalArgumentException("parent table " + t.parentTable() + " of " + t.name() + " is not in the schema");
            }
        }
    }

    /** The demo schema the workload generator knows how to fill. */
    public static SourceSchema demo() {
        return DEMO;
    }

    public List<TableDef> tables() {
        return tables;
    }

    public TableDef table(String name) {
        for (TableDef t : tables) {
            if (t.name().equals(name)) return t;
        }
        throw new IllegalArgumentException("no table " + name + " in the source schema");
    }

    /** CREATE SCHEMA IF NOT EXISTS per owner, then CREATE TABLE IF NOT EXISTS per table; H2 and PostgreSQL. */
    public List<String> createStatements() {
        Set<String> owners = new LinkedHashSet<>();
        tables.forEach(t -> owners.add(t.owner()));
        List<String> sql = new ArrayList<>();
        owners.forEach(o -> sql.add("CREATE SCHEMA IF NOT EXISTS " + o));
        tables.forEach(t -> {
            sql.add(t.createStatement());
            if (!t.hasPrimaryKey()) sql.add(t.rowIdIndexStatement());
        });
        return List.copyOf(sql);
    }
}
