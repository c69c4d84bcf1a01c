package io.redotrail.control.params;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GroupParamsTest {
    @TempDir
    Path home;

    // ---- checkpoints as GGSCI ADD writes them (contract 1)

    static ProcessCheckpoint extract(String group, WriteCheckpoint... writes) {
        return new ProcessCheckpoint(group, "EXTRACT", List.of(), null, List.of(writes), null, null, null, 0, 0, 'G');
    }

    static ProcessCheckpoint pump(String group, String source, WriteCheckpoint... writes) {
        TrailReadCheckpoint r = new TrailReadCheckpoint(source, new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0);
        return new ProcessCheckpoint(group, "EXTRACT", List.of(), r, List.of(writes), null, null, null, 0, 0, 'G');
    }

    static ProcessCheckpoint replicat(String group, String trail) {
        TrailReadCheckpoint r = new TrailReadCheckpoint(trail, new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0);
        return new ProcessCheckpoint(group, "REPLICAT", List.of(), r, List.of(), null, null, null, 0, 0, 'G');
    }

    static WriteCheckpoint trail(String path, String type, int mb) {
        return new WriteCheckpoint(path, new TrailPosition(0, 0), 0, type, Scn.of(0), mb);
    }

    private GroupParams params(String group, ProcessCheckpoint cp, String text) {
        return GroupParams.of(ParamFile.parse(Path.of("dirprm/" + group.toLowerCase() + ".prm"), text), home, group, cp);
    }

    private ParamException refused(String group, ProcessCheckpoint cp, String text) {
        return assertThrows(ParamException.class, () -> params(group, cp, text));
    }

    private static final ProcessCheckpoint EXT1 = extract("EXT1", trail("./dirdat/ex", "EXTTRAIL", 0));
    private static final ProcessCheckpoint PUMHA = pump("PUMHA", "./dirdat/ex", trail("./dirdat/ha", "RMTTRAIL", 50));
    private static final ProcessCheckpoint REP1 = replicat("REP1", "./dirdat/ha");

    // ---- meaning

    @Test
    void primaryExtractParametersBecomeTheExtractKeys() {
        GroupParams p = params("EXT1", EXT1, """
                EXTRACT ext1
                USERIDALIAS ogg
                EXTTRAIL ./dirdat/ex
                BR BRINTERVAL 2H, BRDIR ./BR, BRKEEPSTALEFILES
                WARNLONGTRANS 2H, CHECKINTERVAL 10M
                CACHEMGR CACHESIZE 1GB
                REPORTCOUNT EVERY 1000 RECORDS
                NUMFILES 3000
                TABLE YDJK.*;
                TABLE POS_USER9.*;
                """);
        assertEquals(GroupKind.EXTRACT, p.kind());
        assertEquals(Map.of("redotrail.extract.group", "EXT1", "redotrail.extract.trail", "ex",
                "redotrail.extract.brInterval", "2H", "redotrail.extract.brDir", "./BR",
                "redotrail.extract.brKeepStaleFiles", "true", "redotrail.extract.warnLongTrans", "2H",
                "redotrail.extract.checkInterval", "10M", "redotrail.extract.cacheSizeMb", "1024",
                "redotrail.reportCount", "EVERY 1000 RECORDS"), p.overrides());
        assertEquals(List.of("YDJK.*", "POS_USER9.*"), p.tables().stream().map(Param::value).toList());
        assertEquals("ogg", p.alias());
        assertEquals("OracleGoldenGate", p.domain());
        assertEquals("dirprm/ext1.prm line 4 (BR BRINTERVAL 2H, BRDIR ./BR, BRKEEPSTALEFILES)",
                p.sources().get("redotrail.extract.brInterval"));
        assertEquals("dirchk/EXT1.cpe", p.sources().get("redotrail.extract.group"));
    }

    @Test
    void brOffAndBrResetAndTheTrailSizeOfAddExttrail() {
        GroupParams p = params("EXT1", extract("EXT1", trail("./dirdat/ex", "EXTTRAIL", 20)), """
                extract EXT1
                exttrail ./dirdat/ex
                br broff
                br brreset
                """);
        assertEquals("true", p.overrides().get("redotrail.extract.brOff"));
        assertEquals("true", p.overrides().get("redotrail.extract.brReset"));
        assertEquals("20", p.overrides().get("redotrail.extract.megabytes"));
        assertTrue(p.tables().isEmpty());
    }

    @Test
    void seed000PumpWithoutRemoteDeliveryBecomesThePumpKeys() {
        GroupParams p = params("PUMHA", PUMHA, """
                extract pumha
                passthru
                rmttrail ./dirdat/ha
                NUMFILES 3000
                table YDJK.*;
                table POS_USER9.*;
                REPORTCOUNT EVERY 30 SECONDS
                """);
        assertEquals(GroupKind.PUMP, p.kind());
        assertEquals(Map.of("redotrail.pump.group", "PUMHA", "redotrail.pump.trail", "ha", "redotrail.pump.megabytes", "50",
                "redotrail.extract.trail", "ex", "redotrail.pump.tables", "YDJK.*; POS_USER9.*",
                "redotrail.reportCount", "EVERY 30 SECONDS"), p.overrides());
        assertNull(p.alias());
    }

    @Test
    void trailEncryptionStatementsBecomeTheEncryptKeysAndNeedTheirKeyInEnckeys() {
        Path keys = io.redotrail.trail.crypto.TrailKeys.defaultFile(home);
        io.redotrail.trail.crypto.TrailKeys.generate(keys, "prod", 256, new java.security.SecureRandom());
        GroupParams pump = params("PUMHA", PUMHA, """
                extract pumha
                passthru
                DECRYPTTRAIL AES256, KEYNAME prod
                ENCRYPTTRAIL AES128, KEYNAME prod
                rmttrail ./dirdat/ha
                table YDJK.*;
                """);
        assertEquals("true", pump.overrides().get("redotrail.pump.decrypt"));
        assertEquals("AES128", pump.overrides().get("redotrail.pump.encrypt"));
        assertEquals("prod", pump.overrides().get("redotrail.pump.keyName"));
        assertEquals("dirprm/pumha.prm line 4 (ENCRYPTTRAIL AES128, KEYNAME prod)", pump.sources().get("redotrail.pump.encrypt"));
        GroupParams ext = params("EXT1", EXT1, "EXTRACT ext1\nENCRYPTTRAIL AES192 KEYNAME PROD\nEXTTRAIL ./dirdat/ex\n");
        assertEquals("AES192", ext.overrides().get("redotrail.extract.encrypt"));
        assertEquals("PROD", ext.overrides().get("redotrail.extract.keyName"));
        assertEquals("", params("EXT1", EXT1, "EXTRACT ext1\nENCRYPTTRAIL KEYNAME prod\nNOENCRYPTTRAIL\nEXTTRAIL ./dirdat/ex\n")
                .overrides().get("redotrail.extract.encrypt"));
        // a Replicat always decrypts: DECRYPTTRAIL is accepted and changes nothing
        org.junit.jupiter.api.Assertions.assertFalse(params("REP1", REP1, "REPLICAT rep1\nDECRYPTTRAIL\nMAP *.*, TARGET *.*;\n").overrides().keySet().stream()
                .anyMatch(k -> k.contains("crypt")));
        // seed 000's bare ENCRYPTTRAIL is AES256 with GoldenGate's DEFAULT key, which this ENCKEYS lacks
        assertError(refused("PUMHA", PUMHA, "extract pumha\nENCRYPTTRAIL\n"), 2, "OGG-06400", "key DEFAULT", keys.toString(),
                "bin/redotrail keygen");
        assertError(refused("PUMHA", PUMHA, "extract pumha\nENCRYPTTRAIL AES512\n"), 2, "unknown trail encryption algorithm 'AES512'");
        assertError(refused("PUMHA", PUMHA, "extract pumha\nENCRYPTTRAIL AES256, KEYNAME\n"), 2, "KEYNAME needs a value");
        assertError(refused("EXT1", EXT1, "EXTRACT ext1\nDECRYPTTRAIL\n"), 2, "DECRYPTTRAIL does not apply to a primary");
    }

    @Test
    void replicatParametersBecomeTheReplicatKeys() {
        GroupParams p = params("REP1", REP1, """
                REPLICAT rep1
                USERIDALIAS tgt DOMAIN prod
                ASSUMETARGETDEFS
                GROUPTRANSOPS 500
                NOBATCHSQL
                HANDLECOLLISIONS
                REPERROR (DEFAULT, ABEND)
                REPERROR (NOTFOUND, DISCARD)
                DISCARDFILE ./dirrpt/rep1.dsc, PURGE, MEGABYTES 10
                REPORTCOUNT EVERY 2 HOURS
                MAP YDJK.*, TARGET YDJK.*;
                MAP POS_USER9.ORDERS, TARGET POS_USER9.ORDERS,
                  COLMAP (USEDEFAULTS, SRC_CSN = @GETENV('TRANSACTION', 'CSN')),
                  KEYCOLS (ID);
                """);
        assertEquals(GroupKind.REPLICAT, p.kind());
        Map<String, String> o = p.overrides();
        assertEquals("REP1", o.get("redotrail.replicat.group"));
        assertEquals("ha", o.get("redotrail.pump.trail"));
        assertEquals("500", o.get("redotrail.replicat.groupTransOps"));
        assertEquals("false", o.get("redotrail.replicat.batchSql"));
        assertEquals("true", o.get("redotrail.replicat.handleCollisions"));
        assertEquals("(DEFAULT, ABEND); (NOTFOUND, DISCARD)", o.get("redotrail.replicat.repError"));
        assertEquals("PURGE, MEGABYTES 10", o.get("redotrail.replicat.discardFileOptions"));
        assertEquals("EVERY 120 MINUTES", o.get("redotrail.reportCount"));
        assertEquals("MAP YDJK.*, TARGET YDJK.*; MAP POS_USER9.ORDERS, TARGET POS_USER9.ORDERS, COLMAP (USEDEFAULTS,"
                + " SRC_CSN = @GETENV('TRANSACTION', 'CSN')), KEYCOLS (ID)", o.get("redotrail.replicat.map"));
        assertEquals("tgt", p.alias());
        assertEquals("prod", p.domain());
        assertEquals(9, o.size());
    }

    @Test
    void laterStatementsOverrideEarlierOnes() {
        GroupParams p = params("REP1", REP1, "REPLICAT REP1\nBATCHSQL\nNOBATCHSQL\nNOHANDLECOLLISIONS\nMAP *.*, TARGET *.*;\n");
        assertEquals("false", p.overrides().get("redotrail.replicat.batchSql"));
        assertEquals("false", p.overrides().get("redotrail.replicat.handleCollisions"));
    }

    @Test
    void theFileIsLowerCaseAsGoldenGateWritesItElseUpperCase() throws Exception {
        Path dir = Files.createDirectories(home.resolve("dirprm"));
        assertEquals(dir.resolve("pumha.prm"), GroupParams.fileOf(home, "PUMHA"));
        Files.writeString(dir.resolve("PUMHA.prm"), "EXTRACT PUMHA\n");
        assertEquals(dir.resolve("PUMHA.prm"), GroupParams.fileOf(home, "pumha"));
        Files.writeString(dir.resolve("pumha.prm"), "EXTRACT PUMHA\n");
        assertEquals(dir.resolve("pumha.prm"), GroupParams.fileOf(home, "PUMHA"));
        // any case: the file GGSCI's EDIT PARAMS opens is the one the process reads
        Files.writeString(dir.resolve("RepHa.prm"), "REPLICAT REPHA\n");
        assertEquals(dir.resolve("RepHa.prm"), GroupParams.fileOf(home, "REPHA"));
    }

    @Test
    void aMissingFileIsRefusedNamingIt() {
        ParamException e = assertThrows(ParamException.class, () -> GroupParams.read(home, "REP1", REP1));
        assertTrue(e.getMessage().contains("rep1.prm") && e.getMessage().contains("does not exist"), e.getMessage());
    }

    // ---- errors: file, line and statement

    private static void assertError(ParamException e, int line, String... parts) {
        assertEquals(line, e.line(), e.getMessage());
        for (String s : parts) assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
    }

    @Test
    void theFirstStatementMustNameTheGroupOfItsKind() {
        assertError(refused("EXT1", EXT1, ""), 0, "no statement", "EXTRACT EXT1");
        assertError(refused("EXT1", EXT1, "-- c\nEXTTRAIL ./dirdat/ex\nEXTRACT EXT1\n"), 2, "ext1.prm line 2",
                "first statement must be EXTRACT EXT1");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT2\n"), 1, "names group EXT2", "parameter file of EXT1");
        assertError(refused("REP1", REP1, "EXTRACT REP1\n"), 1, "must be REPLICAT REP1", "Replicat", "dirchk/REP1.cpr");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nEXTRACT EXT1\n"), 3, "only the first");
    }

    @Test
    void anUnknownParameterStopsTheStartNamingFileLineAndParameter() {
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n\nTRANLOGOPTIONS INTEGRATEDPARAMS\n"), 4,
                "dirprm/ext1.prm line 4", "unknown parameter TRANLOGOPTIONS");
    }

    @Test
    void theSeedsRmthostLineSendsThePumpsTrailToATargetHost() {
        GroupParams p = params("PUMHA", PUMHA, """
                extract pumha
                passthru
                rmthost 10.230.51.143, mgrport 7809, compress
                rmttrail ./dirdat/ha
                table YDJK.*;
                """);
        assertEquals("10.230.51.143", p.overrides().get("redotrail.pump.rmtHost"));
        assertEquals("7809", p.overrides().get("redotrail.pump.mgrPort"));
        assertEquals("true", p.overrides().get("redotrail.pump.compress"));
        assertEquals("ha", p.overrides().get("redotrail.pump.trail"));
        assertTrue(p.sources().get("redotrail.pump.rmtHost").contains("pumha.prm line 3"), p.sources().toString());
        GroupParams t = params("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST tgt.example.com, PORT 7819, TIMEOUT 30\nRMTTRAIL ./dirdat/ha\nTABLE *.*;\n");
        assertEquals("30", t.overrides().get("redotrail.pump.rmtTimeout"));
        assertEquals("7819", t.overrides().get("redotrail.pump.mgrPort"));
        assertNull(t.overrides().get("redotrail.pump.compress"));
        // without RMTHOST the pump writes its RMTTRAIL in this home, as before
        assertNull(params("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTTRAIL ./dirdat/ha\nTABLE *.*;\n").overrides().get("redotrail.pump.rmtHost"));
    }

    @Test
    void compressAlgorithmThresholdAndTlsAreRmthostOptions() {
        String tail = "RMTTRAIL ./dirdat/ha\nTABLE *.*;\n";
        GroupParams p = params("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST tgt, MGRPORT 7809, COMPRESS, COMPRESSALGORITHM zstd,"
                + " COMPRESSTHRESHOLD 0, TLS, TLSTRUSTALIAS linktrust, TLSKEYALIAS linkpump\n" + tail);
        assertEquals("true", p.overrides().get("redotrail.pump.compress"));
        assertEquals("ZSTD", p.overrides().get("redotrail.pump.compressAlgorithm"));
        assertEquals("0", p.overrides().get("redotrail.pump.compressThreshold"));
        assertEquals("true", p.overrides().get("redotrail.pump.tls"));
        assertEquals("linktrust", p.overrides().get("redotrail.pump.tlsTrustAlias"));
        assertEquals("linkpump", p.overrides().get("redotrail.pump.tlsKeyAlias"));

        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST t, MGRPORT 1, COMPRESS, COMPRESSALGORITHM GZIP\n" + tail), 2,
                "RTR-01604 COMPRESSALGORITHM GZIP is not known: use LZ4 (default) or ZSTD");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST t, MGRPORT 1, COMPRESSALGORITHM ZSTD\n" + tail), 2, "add COMPRESS");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST t, MGRPORT 1, COMPRESS, COMPRESSTHRESHOLD 28001\n" + tail), 2,
                "COMPRESSTHRESHOLD");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST t, MGRPORT 1, TLS\n" + tail), 2, "TLS needs TLSTRUSTALIAS alias");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST t, MGRPORT 1, TLSTRUSTALIAS a\n" + tail), 2, "add TLS");
    }

    @Test
    void aWrongRmthostStatementIsRefusedNamingFileAndLine() {
        String tail = "RMTTRAIL ./dirdat/ha\nTABLE *.*;\n";
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST 10.0.0.1\n" + tail), 2, "pumha.prm line 2", "needs MGRPORT");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST 10.0.0.1, MGRPORT 99999\n" + tail), 2, "must be 1..65535");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST 10.0.0.1, MGRPORT 7809, ENCRYPT AES256\n" + tail), 2,
                "unknown RMTHOST option 'ENCRYPT'");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTHOST a, MGRPORT 1\nRMTHOST b, MGRPORT 2\n" + tail), 3, "one target host");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nMGRPORT 7809\n" + tail), 2, "MGRPORT is an option of RMTHOST");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nRMTHOST a, MGRPORT 1\nEXTTRAIL ./dirdat/ex\n"), 2, "primary Extract");
        assertError(refused("PUMHA", PUMHA, "extract pumha\nENCRYPTTRAIL\n"), 2, "ENCRYPTTRAIL", "ENCKEYS does not exist");
    }

    @Test
    void aPasswordInTheFileIsRefusedWithoutEchoingIt() {
        ParamException e = refused("REP1", REP1, "REPLICAT REP1\nUSERID sa, PASSWORD s3cret\n");
        assertError(e, 2, "USERIDALIAS");
        ParamException p = refused("REP1", REP1, "REPLICAT REP1\nPASSWORD s3cret\n");
        assertError(p, 2, "USERIDALIAS");
    }

    @Test
    void parametersOfAnotherKindAreRefused() {
        assertError(refused("REP1", REP1, "REPLICAT REP1\nTABLE YDJK.*;\n"), 2, "TABLE does not apply to a Replicat");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nMAP A.B, TARGET A.B;\n"), 2, "MAP does not apply to a data pump");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nBR BROFF\n"), 2, "BR does not apply to a data pump",
                "primary Extract");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nPASSTHRU\n"), 2, "PASSTHRU does not apply to a primary Extract");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nEXTTRAIL ./dirdat/ha\n"), 2, "EXTTRAIL does not apply to a Replicat");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nGROUPTRANSOPS 10\n"), 2, "GROUPTRANSOPS does not apply");
    }

    @Test
    void theTrailMustBeTheOneTheCheckpointFileDefines() {
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nEXTTRAIL ./dirdat/ez\n"), 2, "does not match the trail",
                "dirchk/EXT1.cpe", "./dirdat/ex");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\n"), 0, "no EXTTRAIL statement");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nTABLE *.*;\n"), 0, "no RMTTRAIL statement");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nEXTTRAIL ./dirdat/ey\n"), 3, "one trail");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nRMTTRAIL ./dirdat/ex\n"), 2, "needs RMTHOST", "add a data pump");
        assertError(refused("EXT1", extract("EXT1"), "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n"), 2, "no trail is defined",
                "ADD EXTTRAIL ./dirdat/ex, EXTRACT EXT1");
        ProcessCheckpoint elsewhere = extract("EXT1", trail("/var/trails/ex", "EXTTRAIL", 0));
        assertError(refused("EXT1", elsewhere, "EXTRACT EXT1\nEXTTRAIL /var/trails/ex\n"), 2, "must be ./dirdat/");
        ProcessCheckpoint longPrefix = extract("EXT1", trail("./dirdat/exx", "EXTTRAIL", 0));
        assertError(refused("EXT1", longPrefix, "EXTRACT EXT1\nEXTTRAIL ./dirdat/exx\n"), 2, "two-character prefix");
        ProcessCheckpoint pumpFromElsewhere = pump("PUMHA", "/var/trails/ex", trail("./dirdat/ha", "RMTTRAIL", 0));
        assertError(refused("PUMHA", pumpFromElsewhere, "EXTRACT PUMHA\nRMTTRAIL ./dirdat/ha\nTABLE *.*;\n"), 0,
                "dirchk/PUMHA.cpe", "must be ./dirdat/");
    }

    @Test
    void aPumpNeedsTablesAndAReplicatNeedsMaps() {
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTTRAIL ./dirdat/ha\n"), 0, "at least one TABLE", "TABLE *.*;");
        assertError(refused("REP1", REP1, "REPLICAT REP1\n"), 0, "at least one MAP", "MAP *.*, TARGET *.*;");
    }

    @Test
    void valuesAreCheckedWhereTheyAreWritten() {
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nRMTTRAIL ./dirdat/ha\nTABLE YDJK;\n"), 3, "OWNER.TABLE");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nMAP A.B, TARGET C.D;\nMAP A.C TARGET C.E;\n"), 3, "line 3");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nREPERROR (DEFAULT, EXPLODE)\n"), 2, "EXPLODE");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nDISCARDFILE ./dirrpt/other.dsc, APPEND\n"), 2,
                "./dirrpt/rep1.dsc");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nGROUPTRANSOPS many\n"), 2, "not a whole number");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nGROUPTRANSOPS 0\n"), 2, "must be 1..1000000");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nBATCHSQL BATCHTRANSOPS 100\n"), 2, "takes no options");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nREPORTCOUNT EVERY 10 DAYS\n"), 2, "unknown unit 'DAYS'");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nREPORTCOUNT\n"), 2, "REPORTCOUNT EVERY n");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nUSERIDALIAS a b\n"), 2, "USERIDALIAS alias [DOMAIN domain]");
        assertError(refused("REP1", REP1, "REPLICAT REP1\nNUMFILES lots\n"), 2, "not a whole number");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nCACHEMGR CACHESIZE 1TB\n"), 2, "MB or GB");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nCACHEMGR CACHEDIRECTORY ./dirtmp\n"), 2, "CACHEMGR CACHESIZE");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nBR BRINTERVAL\n"), 2, "BRINTERVAL needs a value");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nBR BRFSOPTION MS_SYNC\n"), 2, "unknown BR option");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nBR\n"), 2, "expected BRINTERVAL");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nWARNLONGTRANS 1H, EVERY 5M\n"), 2, "unknown option 'EVERY'");
        assertError(refused("EXT1", EXT1, "EXTRACT EXT1\nWARNLONGTRANS\n"), 2, "expected a duration");
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nPASSTHRU TABLES\n"), 2, "takes no options");
        // our pump maps nothing: NOPASSTHRU would be a promise it does not keep
        assertError(refused("PUMHA", PUMHA, "EXTRACT PUMHA\nNOPASSTHRU\n"), 2, "NOPASSTHRU is not supported", "no mapping");
    }
}
