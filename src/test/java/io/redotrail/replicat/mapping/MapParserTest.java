package io.redotrail.replicat.mapping;

import io.redotrail.core.RowChange;
import io.redotrail.core.RowImage;
import io.redotrail.core.Scn;
import io.redotrail.core.Transaction;
import io.redotrail.core.TrailPosition;
import io.redotrail.core.Xid;
import io.redotrail.core.ChangeOp;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class MapParserTest {
    static final String EXAMPLE = "MAP YDJK.*, TARGET YDJK_T.*; MAP POS_USER9.ORDERS, TARGET POS_USER9.ORDERS_T, "
            + "COLMAP (USEDEFAULTS, ORDER_ID = ID, SRC_CSN = @GETENV('TRANSACTION','CSN'), "
            + "COMMIT_TS = @GETENV('GGHEADER','COMMITTIMESTAMP'), SITE = 'HQ'), KEYCOLS (ID);";

    @Test
    void parsesTheExample() {
        List<MapStatement> s = MapParser.parse(EXAMPLE);
        assertEquals(2, s.size());
        MapStatement a = s.get(0);
        assertEquals(List.of("YDJK", "*", "YDJK_T", "*"), Arrays.asList(a.sourceOwner(), a.sourceTable(), a.targetOwner(), a.targetTable()));
        assertTrue(a.useDefaults() && a.sourceIsWildcard() && a.targetIsWildcard());
        assertEquals("YDJK_T.ACCOUNTS", a.targetFor("YDJK", "ACCOUNTS"));
        MapStatement b = s.get(1);
        assertEquals("POS_USER9.ORDERS_T", b.targetFor("POS_USER9", "ORDERS"));
        assertTrue(b.useDefaults());
        assertEquals(List.of(
                new MapStatement.ColMapEntry("ORDER_ID", new MapStatement.Column("ID")),
                new MapStatement.ColMapEntry("SRC_CSN", new MapStatement.Token(MapStatement.Kind.CSN)),
                new MapStatement.ColMapEntry("COMMIT_TS", new MapStatement.Token(MapStatement.Kind.COMMIT_TIMESTAMP)),
                new MapStatement.ColMapEntry("SITE", new MapStatement.Constant("HQ"))), b.colMap());
        assertEquals(List.of("ID"), b.keyCols());
        assertEquals(2, b.number());
    }

    @Test
    void lowerCaseQuotedNumbersNullAndComments() {
        List<MapStatement> s = MapParser.parse("""
                -- comment
                map a.t?, target "Mixed"."Name", colmap (x = -12, y = 1.50, z = null, w = 'it''s');
                ;;
                """);
        MapStatement m = s.get(0);
        assertEquals("Mixed.Name", m.targetFor("A", "T1"));
        assertTrue(m.matches("A", "T1") && !m.matches("A", "T12") && !m.matches("B", "T1"));
        assertFalse(m.useDefaults(), "an explicit COLMAP without USEDEFAULTS maps only what it names");
        assertEquals(List.of(new MapStatement.Constant(-12L), new MapStatement.Constant(new BigDecimal("1.50")),
                new MapStatement.Constant(null), new MapStatement.Constant("it's")), m.colMap().stream().map(MapStatement.ColMapEntry::expr).toList());
        assertTrue(MapParser.parse("  ").isEmpty());
        assertTrue(MapParser.parse(null).isEmpty());
    }

    @Test
    void errorsNameTheStatementAndPosition() {
        String text = "MAP A.B, TARGET C.D; MAP POS.ORDERS, TARGET POS.ORDERS_T, COLMAP (X = )";
        MapSyntaxException e = assertThrows(MapSyntaxException.class, () -> MapParser.parse(text));
        assertEquals("map: statement 2 (MAP POS.ORDERS, TARGET POS.ORDERS_T, COLMAP (X = )) at position " + (text.indexOf(')') + 1)
                + ": expected a column, 'text', number or @GETENV after '=' but found ')'", e.getMessage());
        assertEquals("map: statement 1 (MAP A.B TARGET C.D) at position 9: expected ',' after the source name but found 'TARGET'",
                assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.B TARGET C.D")).getMessage());
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.B, TARGET C.D, COLMAP (X = @GETENV('GGHEADER','NOPE'))"))
                .getMessage().contains("unsupported @GETENV('GGHEADER', 'NOPE')"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.B, TARGET C.D, FILTER (X > 1)"))
                .getMessage().contains("expected COLMAP or KEYCOLS but found 'FILTER'"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAPP A.B, TARGET C.D"))
                .getMessage().startsWith("map: statement 1 (MAPP A.B, TARGET C.D) at position 1: expected a statement to start with MAP"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.B, TARGET C.D, COLMAP (S = 'x)"))
                .getMessage().contains("unterminated 'text' literal"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.*, TARGET C.X*"))
                .getMessage().contains("a target name may use only '*'"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> MapParser.parse("MAP A.B, TARGET C.D, COLMAP (X = Y, X = Z)"))
                .getMessage().contains("target column X mapped twice"));
    }

    /** A second statement for one source table would be ignored: refused, naming both (a wildcard may overlap). */
    @Test
    void aSourceTableMappedTwiceIsRefusedNamingBothStatements() {
        MapSyntaxException e = assertThrows(MapSyntaxException.class, () -> Mapper.parse(
                "MAP S.ORDERS, TARGET A.ORDERS; MAP S.*, TARGET T.*; map s.orders, target b.orders"));
        assertEquals("map: statements 1 (MAP S.ORDERS, TARGET A.ORDERS) and 3 (map s.orders, target b.orders) both map source"
                + " table S.ORDERS: a source table is applied to one target here; keep one of them (GoldenGate would apply"
                + " both)", e.getMessage());
        assertEquals("A.ORDERS", Mapper.parse("MAP S.ORDERS, TARGET A.ORDERS; MAP S.*, TARGET T.*").resolve("S.ORDERS").target());
        // a name without owner stands for every owner's table; the same wildcard pattern twice is the same source
        assertTrue(assertThrows(MapSyntaxException.class, () -> Mapper.parse("MAP ORDERS, TARGET A.ORDERS; MAP S.ORDERS, TARGET B.ORDERS"))
                .getMessage().contains("statements 1 (MAP ORDERS, TARGET A.ORDERS) and 2 (MAP S.ORDERS, TARGET B.ORDERS) both map source table S.ORDERS"));
        assertTrue(assertThrows(MapSyntaxException.class, () -> Mapper.parse("MAP S.*, TARGET A.*; MAP S.*, TARGET B.*"))
                .getMessage().contains("both map source table S.*"));
        assertEquals("B.X", Mapper.parse("MAP S.*, TARGET A.*; MAP T.*, TARGET B.*").resolve("T.X").target());
    }

    @Test
    void mapperResolvesExplicitBeforeWildcardAndMapsImages() {
        Mapper m = Mapper.parse("MAP S.*, TARGET T.*; MAP S.ORDERS, TARGET T.ORDERS_T, COLMAP (USEDEFAULTS, ORDER_ID = ID, "
                + "SRC_CSN = @GETENV('TRANSACTION','CSN'), TS = @GETENV('GGHEADER','COMMITTIMESTAMP'), OP = @GETENV('GGHEADER','OPTYPE'), "
                + "SITE = 'HQ'), KEYCOLS (ORDER_ID)");
        assertEquals("T.ORDERS_T", m.resolve("S.ORDERS").target());
        assertEquals("T.ITEMS", m.resolve("S.ITEMS").target());
        assertNull(m.resolve("X.ITEMS"), "unmapped");
        assertEquals(List.of("ORDER_ID"), m.resolve("S.ORDERS").keyCols());
        Transaction tx = new Transaction(Xid.parse("1.2.3"), Scn.of(777), 1_700_000_000_000L, 1, List.of(), null,
                new TrailPosition(1, 0), new TrailPosition(1, 10));
        RowChange up = new RowChange("S.ORDERS", ChangeOp.UPDATE, new RowImage(new String[]{"ID", "NAME"}, new Object[]{5L, "a"}),
                new RowImage(new String[]{"ID", "NAME", "GONE"}, new Object[]{5L, "b", 1L}));
        Set<String> targetCols = Set.of("ORDER_ID", "NAME", "SRC_CSN", "TS", "OP", "SITE");
        RowChange out = m.map(tx, up, m.resolve("S.ORDERS"), targetCols::contains);
        assertEquals("T.ORDERS_T", out.table());
        assertEquals("{ORDER_ID=5, NAME=a}", out.before().toString(), "before images carry only column mappings");
        assertEquals(List.of("ORDER_ID", "SRC_CSN", "TS", "OP", "SITE", "NAME"), List.of(out.after().columns()));
        assertEquals(777L, out.after().get("SRC_CSN"));
        assertEquals(LocalDateTime.of(2023, 11, 14, 22, 13, 20), out.after().get("TS"));
        assertEquals("SQL COMPUPDATE", out.after().get("OP"));
        assertEquals("HQ", out.after().get("SITE"));
        Mapper identity = Mapper.parse("");
        assertSame(up, identity.map(tx, up, identity.resolve("S.ORDERS"), c -> true));
    }
}
