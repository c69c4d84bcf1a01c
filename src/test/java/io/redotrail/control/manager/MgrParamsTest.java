package io.redotrail.control.manager;

import io.redotrail.control.params.ParamException;
import io.redotrail.control.params.ParamFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MgrParamsTest {
    private static final Path FILE = Path.of("dirprm/mgr.prm");

    private static MgrParams parse(String text) {
        return MgrParams.parse(ParamFile.parse(FILE, text));
    }

    private static ParamException refused(String text) {
        return assertThrows(ParamException.class, () -> parse(text));
    }

    @Test
    void missingFileMeansTheDefaults(@TempDir Path home) {
        MgrParams p = MgrParams.read(home);
        assertEquals(7809, p.port());
        assertEquals("127.0.0.1", p.listenAddress());
        assertTrue(p.autoStart().isEmpty() && p.autoRestart().isEmpty() && p.purge().isEmpty());
        assertEquals(0, p.lagReportMillis());
        assertEquals(-1, p.lagInfoMillis());
        assertEquals(-1, p.lagCriticalMillis());
    }

    @Test
    void readsTheFileOfTheHome(@TempDir Path home) throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm/mgr.prm"), "-- manager\nPORT 7811\n");
        assertEquals(7811, MgrParams.read(home).port());
    }

    @Test
    void portZeroIsAnyFreePort() {
        assertEquals(0, parse("PORT 0\n").port());
        assertTrue(refused("PORT -1").getMessage().contains("PORT"));
    }

    @Test
    void httpPortIsOffUnlessSet() {
        assertEquals(MgrParams.NO_HTTP, parse("PORT 7900\n").httpPort());
        assertEquals(7810, parse("HTTPPORT 7810\n").httpPort());
        assertEquals(0, parse("HTTPPORT 0\n").httpPort());
        assertTrue(refused("HTTPPORT 70000").getMessage().contains("HTTPPORT"));
        assertTrue(refused("HTTPPORT 1 2").getMessage().contains("HTTPPORT"));
    }

    @Test
    void everyParameter() {
        MgrParams p = parse("""
                PORT 7900
                LISTENADDRESS 0.0.0.0
                AUTOSTART ER *
                AUTOSTART EXTRACT EXT*
                AUTORESTART ER *, RETRIES 3, WAITMINUTES 1, RESETMINUTES 30
                AUTORESTART replicat REP1, WAITSECONDS 0, RESETSECONDS 90
                PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 3, FREQUENCYMINUTES 5
                PURGEOLDEXTRACTS ./dirdat/ha*, MINKEEPHOURS 2, FREQUENCYSECONDS 2
                PURGEOLDEXTRACTS ./dirdat/zz*, MINKEEPDAYS 1, FREQUENCYHOURS 1
                LAGREPORTMINUTES 5
                LAGINFOSECONDS 30
                LAGCRITICALMINUTES 2
                """);
        assertEquals(7900, p.port());
        assertEquals("0.0.0.0", p.listenAddress());
        assertEquals(new MgrParams.GroupRule("ER", "*"), p.autoStart().get(0));
        assertEquals(new MgrParams.GroupRule("EXTRACT", "EXT*"), p.autoStart().get(1));
        assertEquals(new MgrParams.RestartRule(new MgrParams.GroupRule("ER", "*"), 3, 60_000, 30 * 60_000), p.autoRestart().get(0));
        assertEquals(new MgrParams.RestartRule(new MgrParams.GroupRule("REPLICAT", "REP1"), 2, 0, 90_000), p.autoRestart().get(1));
        assertEquals(4, p.autoRestart().get(0).maxRestarts(), "GoldenGate: the first restart is not a retry");
        assertEquals(new MgrParams.PurgeRule("./dirdat/*", true, 3, 0, 5 * 60_000), p.purge().get(0));
        assertEquals(new MgrParams.PurgeRule("./dirdat/ha*", true, 1, 2 * 3_600_000, 2000), p.purge().get(1));
        assertEquals(new MgrParams.PurgeRule("./dirdat/zz*", true, 1, 86_400_000, 3_600_000), p.purge().get(2));
        assertEquals(5 * 60_000, p.lagReportMillis());
        assertEquals(30_000, p.lagInfoMillis());
        assertEquals(120_000, p.lagCriticalMillis());
    }

    @Test
    void defaultsOfTheOptionsAreGoldenGates() {
        MgrParams p = parse("AUTORESTART ER *\nPURGEOLDEXTRACTS ./dirdat/*\nLAGCRITICALSECONDS 10\nLAGREPORTSECONDS 3\n");
        assertEquals(new MgrParams.RestartRule(new MgrParams.GroupRule("ER", "*"), 2, 120_000, 120 * 60_000), p.autoRestart().get(0));
        assertEquals(new MgrParams.PurgeRule("./dirdat/*", true, 1, 0, 10 * 60_000), p.purge().get(0));
        assertEquals(3000, p.lagReportMillis());
        assertEquals(-1, p.lagInfoMillis());
        assertEquals(60 * 60_000, parse("LAGINFOMINUTES 1").lagReportMillis(), "lag thresholds without LAGREPORT: hourly");
    }

    @Test
    void groupRulesMatchKindAndWildcard() {
        MgrParams.GroupRule er = new MgrParams.GroupRule("ER", "P*");
        assertTrue(er.matches("EXTRACT", "PUMP1"));
        assertTrue(er.matches("REPLICAT", "P1"));
        assertFalse(er.matches("EXTRACT", "EXT1"));
        MgrParams.GroupRule rep = new MgrParams.GroupRule("REPLICAT", "REP?");
        assertTrue(rep.matches("REPLICAT", "REP1"));
        assertFalse(rep.matches("REPLICAT", "REP12"));
        assertFalse(rep.matches("EXTRACT", "REP1"));
    }

    @Test
    void unknownParameterNamesFileAndLine() {
        ParamException e = refused("PORT 7809\n\nBOOTDELAYMINUTES 3\n");
        assertEquals(3, e.line());
        assertEquals(FILE, e.file());
        assertTrue(e.getMessage().contains("dirprm/mgr.prm line 3") && e.getMessage().contains("BOOTDELAYMINUTES"), e.getMessage());
    }

    @Test
    void dynamicPortListTakesPortsAndRanges() {
        assertEquals(java.util.List.of(7840, 7841, 7842, 7860, 7870, 7871), parse("DYNAMICPORTLIST 7840-7842, 7860\nDYNAMICPORTLIST 7870 - 7871 7860\n").dynamicPorts());
        assertTrue(parse("PORT 7809\n").dynamicPorts().isEmpty());
        assertTrue(refused("DYNAMICPORTLIST 7850-7840").getMessage().contains("runs backwards"));
        assertEquals(1, refused("DYNAMICPORTLIST 7840-x").line());
        assertTrue(refused("DYNAMICPORTLIST 1-6000").getMessage().contains("more than 5000"));
    }

    @Test
    void collectorTlsNamesCredentialAliases() {
        assertNull(parse("PORT 7809\n").collectorTls());
        var t = parse("COLLECTORTLS KEYALIAS linkkey, TRUSTALIAS linktrust, CLIENTAUTH\n").collectorTls();
        assertEquals("linkkey", t.keyAlias());
        assertEquals("linktrust", t.trustAlias());
        assertTrue(t.clientAuth());
        assertFalse(parse("COLLECTORTLS KEYALIAS k TRUSTALIAS t\n").collectorTls().clientAuth());
        assertTrue(refused("PORT 1\nCOLLECTORTLS KEYALIAS k").getMessage().contains("COLLECTORTLS needs KEYALIAS and TRUSTALIAS"));
        assertEquals(2, refused("PORT 1\nCOLLECTORTLS KEYALIAS k").line());
        assertTrue(refused("COLLECTORTLS KEYALIAS k, TRUSTALIAS t, MUTUAL").getMessage().contains("unknown COLLECTORTLS option 'MUTUAL'"));
        assertTrue(refused("COLLECTORTLS KEYALIAS").getMessage().contains("KEYALIAS needs a credential-store alias"));
    }

    @Test
    void badValuesNameFileAndLine() {
        assertEquals(1, refused("PORT seventy").line());
        assertTrue(refused("PORT 70000").getMessage().contains("out of range"));
        assertEquals(2, refused("PORT 1\nPORT 2 3").line());
        assertEquals(1, refused("AUTOSTART *").line());
        assertTrue(refused("AUTOSTART COLLECTOR *").getMessage().contains("not EXTRACT, REPLICAT or ER"));
        assertEquals(2, refused("AUTOSTART ER *\nAUTORESTART ER *, RETRIES").line());
        assertTrue(refused("AUTORESTART ER *, TRIES 3").getMessage().contains("unknown AUTORESTART option TRIES"));
        assertTrue(refused("PURGEOLDEXTRACTS ./dirdat/*, MINKEEPFILES 0").getMessage().contains("out of range"));
        assertTrue(refused("PURGEOLDEXTRACTS ./dirdat/*, FREQUENCYMINUTES 0").getMessage().contains("at least 1"));
        assertTrue(refused("PURGEOLDEXTRACTS ./dirdat/*, NOUSECHECKPOINTS").getMessage().contains("not supported"));
        assertTrue(refused("PURGEOLDEXTRACTS ./dirdat/*, KEEP 3").getMessage().contains("unknown PURGEOLDEXTRACTS option"));
        assertTrue(refused("PURGEOLDEXTRACTS").getMessage().contains("needs a trail"));
        assertTrue(refused("LAGINFOSECONDS -1").getMessage().contains("out of range"));
        // words the Manager would otherwise skip without a word
        ParamException extra = refused("PORT 7809\nAUTOSTART ER *, RETRIES 3\n");
        assertEquals(2, extra.line());
        assertTrue(extra.getMessage().contains("unexpected 'RETRIES'"), extra.getMessage());
        ParamException alone = refused("LAGREPORTMINUTES 5\n");
        assertEquals(1, alone.line());
        assertTrue(alone.getMessage().contains("LAGREPORTMINUTES without LAGINFO* or LAGCRITICAL* reports nothing"), alone.getMessage());
    }
}
