package io.redotrail.control.group;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.TrailReadCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.control.params.GroupParams;
import io.redotrail.core.Scn;
import io.redotrail.core.TrailPosition;
import io.redotrail.report.GroupStatus;
import io.redotrail.report.PidFile;
import io.redotrail.report.ReportFile;
import io.redotrail.runtime.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group's configuration from its checkpoint and parameter files, and the refusals of {@code process} that happen
 * before any route starts (exit 2, reason on stderr, in the report and in the pid file), on real files.
 */
class GroupMainTest {
    private static final Path CONFIG = Path.of("config/application.properties");

    @TempDir
    Path home;

    private final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();

    private Settings base(String... set) {
        Map<String, String> o = new java.util.HashMap<>(Map.of("redotrail.home", home.toString()));
        for (int i = 0; i < set.length; i += 2) o.put(set[i], set[i + 1]);
        return Settings.load(CONFIG, o, "--set");
    }

    private GroupMain main(Settings s, String group) {
        return new GroupMain(s, group, new PrintStream(errBuf, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return errBuf.toString(StandardCharsets.UTF_8);
    }

    private void checkpoint(String group, ProcessCheckpoint cp) {
        Path f = cp.processType().equals("REPLICAT") ? CheckpointFile.replicatFile(home, group) : CheckpointFile.extractFile(home, group);
        new CheckpointFile(f).write(cp);
    }

    private void prm(String group, String text) throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.writeString(home.resolve("dirprm").resolve(group.toLowerCase() + ".prm"), text);
    }

    private static ProcessCheckpoint replicat(String group) {
        TrailReadCheckpoint r = new TrailReadCheckpoint("./dirdat/ha", new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0);
        return new ProcessCheckpoint(group, "REPLICAT", List.of(), r, List.of(), null, null, null, 0, 0, 'G');
    }

    private static ProcessCheckpoint extract(String group) {
        WriteCheckpoint w = new WriteCheckpoint("./dirdat/ex", new TrailPosition(0, 0), 0, "EXTTRAIL", Scn.of(0), 0);
        return new ProcessCheckpoint(group, "EXTRACT", List.of(), null, List.of(w), null, null, null, 0, 0, 'G');
    }

    @Test
    void replicatKeysWithItsAliasTheStartOptionAndOnlyItsRouteFile() throws Exception {
        checkpoint("REP1", replicat("REP1"));
        CredentialStore store = CredentialStore.of(home);
        store.create();
        store.add("OracleGoldenGate", "tgt", "app@jdbc:h2:mem:target", "s3cret");
        prm("REP1", "REPLICAT rep1\nUSERIDALIAS tgt\nGROUPTRANSOPS 10\nMAP *.*, TARGET *.*;\n");
        Settings base = base("redotrail.replicat.groupTransOps", "20");
        GroupParams p = GroupParams.read(home, "REP1", new CheckpointFile(CheckpointFile.replicatFile(home, "REP1")).read().orElseThrow());
        Settings s = main(base, "rep1").settings(p, new GroupMain.StartOptions(null, 42L));
        assertEquals("REP1", s.get("redotrail.replicat.group"));
        assertEquals("ha", s.get("redotrail.pump.trail"));
        assertEquals("jdbc:h2:mem:target", s.get("redotrail.target.jdbcUrl"));
        assertEquals("app", s.get("redotrail.target.user"));
        assertEquals("s3cret", s.get("redotrail.target.password"));
        assertEquals("42", s.get("redotrail.replicat.afterCsn"));
        assertEquals("20", s.get("redotrail.replicat.groupTransOps"), "--set wins over the parameter file");
        assertEquals("file:routes/replicat.yaml", s.get("camel.main.routes-include-pattern"));
        assertTrue(s.where("redotrail.target.user").contains("rep1.prm line 2 (USERIDALIAS tgt)"), s.where("redotrail.target.user"));
    }

    /** BR BRDIR of the parameter file: the extract runs with the directory GGSCI's ALTER retires (one resolver). */
    @Test
    void extractRunsWithTheBrDirItsParameterFileSetsAsGgsciResolvesIt() throws Exception {
        checkpoint("EXT1", extract("EXT1"));
        prm("EXT1", "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\nBR BRDIR ./mybr, BRKEEPSTALEFILES\n");
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        Settings base = base();
        Settings s = main(base, "ext1").settings(GroupParams.read(home, "EXT1", cp), GroupMain.StartOptions.NONE);
        io.redotrail.control.params.BrFiles br = io.redotrail.control.params.BrFiles.of(home, "EXT1", cp, k -> base.get(k, null));
        assertEquals(home.resolve("mybr").normalize(), br.root());
        assertEquals(home.resolve("mybr").resolve("EXT1").normalize(), br.dir());
        assertTrue(br.keepStaleFiles());
        assertEquals(br.root().toString(), s.get("redotrail.extract.brDir"));
        assertTrue(s.where("redotrail.extract.brDir").contains("ext1.prm line 3"), s.where("redotrail.extract.brDir"));

        prm("EXT1", "EXTRACT ext1\nEXTTRAIL ./dirdat/ex\n");
        cp = new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow();
        s = main(base, "ext1").settings(GroupParams.read(home, "EXT1", cp), GroupMain.StartOptions.NONE);
        assertEquals(home.resolve(base.get("redotrail.extract.brDir")).normalize().toString(), s.get("redotrail.extract.brDir"),
                "no BRDIR: the configuration's");
    }

    /** ADD REPLICAT ..., CHECKPOINTTABLE o.t: the Replicat runs with that table, not the configuration's. */
    @Test
    void replicatRunsWithTheCheckpointTableItsDefinitionNames() throws Exception {
        TrailReadCheckpoint r = new TrailReadCheckpoint("./dirdat/ha", new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0);
        checkpoint("REP2", new ProcessCheckpoint("REP2", "REPLICAT", List.of(), r, List.of(), null, null, null, 0, 0, 'G', -1, false,
                "GGADMIN.CKREP2"));
        prm("REP2", "REPLICAT rep2\nMAP *.*, TARGET *.*;\n");
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.replicatFile(home, "REP2")).read().orElseThrow();
        assertEquals("GGADMIN.CKREP2", cp.checkpointTable());
        Settings s = main(base("redotrail.replicat.checkpointTable", "GGADMIN.OTHER"), "rep2")
                .settings(GroupParams.read(home, "REP2", cp), GroupMain.StartOptions.NONE, cp.checkpointTable());
        assertEquals("GGADMIN.CKREP2", s.get("redotrail.replicat.checkpointTable"));
        assertTrue(s.where("redotrail.replicat.checkpointTable").contains("REP2.cpr"), s.where("redotrail.replicat.checkpointTable"));
        ReplicatTarget t = ReplicatTarget.of(home, "REP2", cp, k -> base().get(k, null));
        assertEquals("GGADMIN.CKREP2", t.checkpointTable(), "GGSCI resolves the same table");
        assertEquals(s.get("redotrail.target.jdbcUrl"), t.jdbcUrl(), "and the same target");
    }

    /** A parallel definition and its parameters reach the route keys; a wrong COMMIT_SERIALIZATION names its line. */
    @Test
    void aParallelReplicatGetsItsParameters() throws Exception {
        TrailReadCheckpoint r = new TrailReadCheckpoint("./dirdat/ha", new TrailPosition(0, 0), 0, new TrailPosition(0, 0), 0);
        checkpoint("REPP", new ProcessCheckpoint("REPP", "REPLICAT", List.of(), r, List.of(), null, null, null, 0, 0, 'G'));
        prm("REPP", "REPLICAT repp\nAPPLY_PARALLELISM 6\nCOMMIT_SERIALIZATION full\n"
                + "SPLIT_TRANS_RECS 5000\nMAP_PARALLELISM 2\nMAP *.*, TARGET *.*;\n");
        ProcessCheckpoint cp = new CheckpointFile(CheckpointFile.replicatFile(home, "REPP")).read().orElseThrow();
        Settings s = main(base(), "repp").settings(GroupParams.read(home, "REPP", cp), GroupMain.StartOptions.NONE, null, true);
        assertEquals("true", s.get("redotrail.replicat.parallel"));
        assertEquals("6", s.get("redotrail.replicat.applyParallelism"));
        assertEquals("FULL", s.get("redotrail.replicat.commitSerialization"));
        assertEquals("5000", s.get("redotrail.replicat.splitTransRecs"));
        // docs/replicat.md's example of a tuned parallel Replicat, as written there (the group renamed)
        String doc = Files.readString(Path.of("docs/replicat.md"));
        int at = doc.indexOf("```\n", doc.indexOf("### Tuning the appliers")) + 4;
        prm("REPP", doc.substring(at, doc.indexOf("```", at)).replace("REPLICAT rep1", "REPLICAT repp"));
        s = main(base(), "repp").settings(GroupParams.read(home, "REPP", cp), GroupMain.StartOptions.NONE, null, true);
        assertEquals("2", s.get("redotrail.replicat.minApplyParallelism"));
        assertEquals("8", s.get("redotrail.replicat.maxApplyParallelism"));
        prm("REPP", "REPLICAT repp\nCOMMIT_SERIALIZATION sometimes\nMAP *.*, TARGET *.*;\n");
        var e = assertThrows(io.redotrail.control.params.ParamException.class, () -> GroupParams.read(home, "REPP", cp));
        assertTrue(e.getMessage().contains("COMMIT_SERIALIZATION must be FULL or DEPENDENT_TRANSACTIONS") && e.getMessage().contains("2"),
                e.getMessage());
        // GoldenGate's rules: a fixed number or a range, not both; MIN and MAX together; MIN not above MAX
        String[][] refused = {
                {"APPLY_PARALLELISM 6\nMAX_APPLY_PARALLELISM 8\nMIN_APPLY_PARALLELISM 2", "line 4", "APPLY_PARALLELISM (line 2) fixes the appliers"},
                {"MIN_APPLY_PARALLELISM 2", "line 2", "add MAX_APPLY_PARALLELISM"},
                {"MAX_APPLY_PARALLELISM 3", "line 2", "add MIN_APPLY_PARALLELISM"},
                {"MIN_APPLY_PARALLELISM 5\nMAX_APPLY_PARALLELISM 3", "line 3", "below MIN_APPLY_PARALLELISM 5 (line 2)"}};
        for (String[] bad : refused) {
            prm("REPP", "REPLICAT repp\n" + bad[0] + "\nMAP *.*, TARGET *.*;\n");
            e = assertThrows(io.redotrail.control.params.ParamException.class, () -> GroupParams.read(home, "REPP", cp), bad[0]);
            assertTrue(e.getMessage().contains("repp.prm " + bad[1]) && e.getMessage().contains(bad[2]), e.getMessage());
        }
    }

    @Test
    void aValueTheConfigurationRefusesNamesTheParameterLine() throws Exception {
        checkpoint("EXT1", extract("EXT1"));
        prm("EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n\nBR BRINTERVAL 7X\n");
        assertEquals(GroupMain.REFUSED, main(base(), "EXT1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("ext1.prm line 4 (BR BRINTERVAL 7X)") && err().contains("redotrail.extract.brInterval"), err());
        assertTrue(Files.readString(ReportFile.pathOf(home, "EXT1")).contains("ext1.prm line 4"));
        assertEquals("ABENDED", GroupStatus.of(home, "EXT1", null).status());
    }

    @Test
    void aDamagedCheckpointFileIsRefused() throws Exception {
        checkpoint("REP1", replicat("REP1"));
        Path cpr = CheckpointFile.replicatFile(home, "REP1");
        Files.writeString(cpr, Files.readString(cpr).replace("REPLICAT", "REPLICAX"));
        prm("REP1", "REPLICAT REP1\nMAP *.*, TARGET *.*;\n");
        assertEquals(GroupMain.REFUSED, main(base(), "REP1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("REPLICAT REP1 refused to start") && err().contains("REP1.cpr"), err());
        assertEquals("ABENDED", GroupStatus.of(home, "REP1", null).status());
    }

    @Test
    void anUnknownGroupIsRefusedWithoutMakingItAppear() throws Exception {
        assertEquals(GroupMain.REFUSED, main(base(), "nosuch").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("EXTRACT/REPLICAT group NOSUCH does not exist: ADD it with GGSCI"), err());
        assertFalse(Files.exists(PidFile.pathOf(home, "NOSUCH")));
        assertTrue(Files.readString(ReportFile.pathOf(home, "NOSUCH")).contains("does not exist"));
    }

    @Test
    void aMissingParameterFileIsRefusedNamingIt() throws Exception {
        checkpoint("REP1", replicat("REP1"));
        assertEquals(GroupMain.REFUSED, main(base(), "REP1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("dirprm/rep1.prm: parameter file does not exist"), err());
        assertTrue(Files.readString(ReportFile.pathOf(home, "REP1")).contains("OGG-01668  PROCESS ABENDING"));
        assertEquals("ABENDED", GroupStatus.of(home, "REP1", null).status());
        assertTrue(PidFile.read(PidFile.pathOf(home, "REP1")).orElseThrow().abended());
    }

    @Test
    void anUnknownParameterIsRefusedAfterTheEchoNamingFileAndLine() throws Exception {
        checkpoint("REP1", replicat("REP1"));
        prm("REP1", "REPLICAT REP1\nUSERIDALIAS tgt\n-- comment\nFROBNICATE 3\nMAP *.*, TARGET *.*;\n");
        assertEquals(GroupMain.REFUSED, main(base(), "REP1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("rep1.prm line 4: unknown parameter FROBNICATE"), err());
        String rpt = Files.readString(ReportFile.pathOf(home, "REP1"));
        int echo = rpt.indexOf("Running with the following parameters");
        assertTrue(echo >= 0 && rpt.indexOf("FROBNICATE 3") > echo, rpt);
        assertTrue(rpt.indexOf("line 4: unknown parameter FROBNICATE") > rpt.indexOf("FROBNICATE 3"), rpt);
    }

    @Test
    void theEchoMasksPasswordsAndAnAliasThatIsMissingIsRefused() throws Exception {
        checkpoint("REP1", replicat("REP1"));
        prm("REP1", "REPLICAT REP1\nUSERIDALIAS tgt DOMAIN prod\nMAP *.*, TARGET *.*;\n");
        assertEquals(GroupMain.REFUSED, main(base(), "REP1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("rep1.prm line 2") && err().contains("no credential store"), err());
        prm("REP1", "REPLICAT REP1\nUSERID sa, PASSWORD hunter2\nMAP *.*, TARGET *.*;\n");
        assertEquals(GroupMain.REFUSED, main(base(), "REP1").run(GroupMain.StartOptions.NONE));
        String rpt = Files.readString(ReportFile.pathOf(home, "REP1"));
        assertTrue(rpt.contains("USERID sa, PASSWORD ********"), rpt);
        // the statement is refused; its message names the statement and line, and the password is nowhere
        assertFalse(rpt.contains("hunter2") || err().contains("hunter2"), rpt + err());
    }

    @Test
    void aPrimaryExtractsTablesMustSelectEverySourceTableAndStartOptionsAreAReplicats() throws Exception {
        checkpoint("EXT1", extract("EXT1"));
        prm("EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\nTABLE YDJK.*;\n");
        assertEquals(GroupMain.REFUSED, main(base(), "EXT1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("ext1.prm line 3") && err().contains("source database") && err().contains("does not exist yet"), err());
        io.redotrail.runtime.HomeSetup.prepareHome(base());
        assertEquals(GroupMain.REFUSED, main(base(), "EXT1").run(GroupMain.StartOptions.NONE));
        assertTrue(err().contains("ext1.prm line 3") && err().contains("leave out [POS_USER9."), err());
        prm("EXT1", "EXTRACT EXT1\nEXTTRAIL ./dirdat/ex\n");
        assertEquals(GroupMain.REFUSED, main(base(), "EXT1").run(new GroupMain.StartOptions(5L, null)));
        assertTrue(err().contains("ATCSN / AFTERCSN are start options of a Replicat"), err());
        GroupParams p = GroupParams.read(home, "EXT1", new CheckpointFile(CheckpointFile.extractFile(home, "EXT1")).read().orElseThrow());
        Settings s = main(base(), "EXT1").settings(p, GroupMain.StartOptions.NONE);
        assertEquals("file:routes/extract.yaml", s.get("camel.main.routes-include-pattern"));
        assertEquals("ex", s.get("redotrail.extract.trail"));
        assertThrows(Settings.ConfigException.class, () -> main(base("camel.main.routes-include-pattern", "file:routes/pump.yaml"), "EXT1")
                .settings(p, GroupMain.StartOptions.NONE));
    }
}
