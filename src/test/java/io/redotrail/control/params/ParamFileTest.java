package io.redotrail.control.params;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamFileTest {
    private static final Path F = Path.of("dirprm/pumha.prm");

    @Test
    void seed000PumpParameters() {
        ParamFile p = ParamFile.parse(F, """
                extract pumha
                passthru
                rmthost 10.230.51.143, mgrport 7809, compress
                DECRYPTTRAIL
                ENCRYPTTRAIL
                rmttrail ./dirdat/ha
                NUMFILES 3000
                table YDJK.*;
                table POS_USER9.*;
                table BFAPP9.*;
                """);
        assertEquals(List.of("EXTRACT", "PASSTHRU", "RMTHOST", "DECRYPTTRAIL", "ENCRYPTTRAIL", "RMTTRAIL", "NUMFILES",
                "TABLE", "TABLE", "TABLE"), p.params().stream().map(Param::name).toList());
        assertEquals("pumha", p.last("extract").value());
        assertEquals("10.230.51.143, mgrport 7809, compress", p.last("RMTHOST").value());
        assertEquals(List.of("YDJK.*", "POS_USER9.*", "BFAPP9.*"), p.all("TABLE").stream().map(Param::value).toList());
        assertEquals(8, p.all("TABLE").get(0).line());
    }

    @Test
    void commentsContinuationsAndMultiLineMaps() {
        ParamFile p = ParamFile.parse(F, """
                -- a comment line
                REPLICAT rep1   -- trailing comment
                USERIDALIAS tgt &
                   DOMAIN OracleGoldenGate
                MAP POS_USER9.ORDERS, TARGET POS_USER9.ORDERS_T,
                    COLMAP (USEDEFAULTS, SITE = 'HQ--1');
                GROUPTRANSOPS 500
                """);
        assertEquals("tgt DOMAIN OracleGoldenGate", p.last("USERIDALIAS").value());
        Param map = p.last("MAP");
        assertEquals("POS_USER9.ORDERS, TARGET POS_USER9.ORDERS_T, COLMAP (USEDEFAULTS, SITE = 'HQ--1')", map.value());
        assertEquals(5, map.line());
        assertEquals(7, p.last("GROUPTRANSOPS").line());
    }

    @Test
    void anUnclosedTableStatementNamesFileAndLine() {
        ParamException e = assertThrows(ParamException.class, () -> ParamFile.parse(F, "EXTRACT p\nTABLE YDJK.*\n"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(F + " line 2: TABLE"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        ParamException e = assertThrows(ParamException.class, () -> ParamFile.read(Path.of("target/no/such.prm")));
        assertTrue(e.getMessage().contains("such.prm") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
