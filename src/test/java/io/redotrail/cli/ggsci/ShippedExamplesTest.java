package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.CheckpointFile;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.control.manager.MgrParams;
import io.redotrail.control.params.GroupParams;
import io.redotrail.redo.RedoFormat;
import io.redotrail.redo.RedoLogConfig;
import io.redotrail.sim.RedoLogWriter;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples shipped in {@code config/dirprm/} are what the docs tell users to copy: the OBEY file's ADD commands
 * run in a home with redo, and every parameter file is accepted by the parameter parser for the group the OBEY file
 * defines (the checkpoint files it wrote), with the meaning the comments give; mgr.prm by the Manager's parser.
 */
class ShippedExamplesTest {
    private static final Path PROJECT = Path.of(System.getProperty("redotrail.project.dir", ".")).toAbsolutePath().normalize();
    private static final Path EXAMPLES = PROJECT.resolve("config/dirprm");

    @TempDir
    Path home;

    @Test
    void mgrPrmIsAcceptedByTheManager() throws Exception {
        Files.createDirectories(home.resolve("dirprm"));
        Files.copy(EXAMPLES.resolve("mgr.prm"), home.resolve("dirprm/mgr.prm"));
        MgrParams p = MgrParams.read(home);
        assertEquals(7809, p.port());
        assertEquals(1, p.autoStart().size());
        assertEquals(1, p.autoRestart().size());
        assertEquals(1, p.purge().size());
        Files.copy(EXAMPLES.resolve("twohosts/mgr.prm"), home.resolve("dirprm/mgr.prm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        MgrParams target = MgrParams.read(home);
        assertEquals("10.230.51.143", target.listenAddress());
        assertEquals(11, target.dynamicPorts().size());
        assertEquals(7840, target.dynamicPorts().get(0));
    }

    @Test
    void obeyFileDefinesTheGroupsTheParameterFilesConfigure() throws Exception {
        RedoLogConfig cfg = new RedoLogConfig(home.resolve("redo"), home.resolve("arch"), 1, 2, RedoFormat.HEADER_SIZE + 4096, "ORCL");
        try (RedoLogWriter w = RedoLogWriter.open(cfg)) {
            // an empty redo log: BEGIN NOW is its end
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Ggsci g = new Ggsci(home, k -> null, new PrintStream(buf, true, StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(EXAMPLES.resolve("add-groups.oby"))) {
            if (Ggsci.skipped(line) || line.trim().toUpperCase().startsWith("START") || line.trim().toUpperCase().startsWith("INFO")) continue;
            assertEquals(0, g.execute(line), line + "\n" + buf);
        }
        Files.createDirectories(home.resolve("dirprm"));
        for (String prm : List.of("exta.prm", "pumha.prm", "repa.prm")) Files.copy(EXAMPLES.resolve(prm), home.resolve("dirprm/" + prm));

        Map<String, String> exta = params("EXTA", "cpe");
        assertEquals("EXTA", exta.get("redotrail.extract.group"));
        assertEquals("ex", Path.of(exta.get("redotrail.extract.trail")).getFileName().toString());

        Map<String, String> pumha = params("PUMHA", "cpe");
        assertEquals("PUMHA", pumha.get("redotrail.pump.group"));
        assertEquals("YDJK.*; POS_USER9.*", pumha.get("redotrail.pump.tables"));
        assertEquals("ha", Path.of(pumha.get("redotrail.pump.trail")).getFileName().toString());

        // the seed's pump with its RMTHOST line, for a source home sending to another host
        Files.copy(EXAMPLES.resolve("twohosts/pumha.prm"), home.resolve("dirprm/pumha.prm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> remote = params("PUMHA", "cpe");
        assertEquals("10.230.51.143", remote.get("redotrail.pump.rmtHost"));
        assertEquals("7809", remote.get("redotrail.pump.mgrPort"));
        assertEquals("true", remote.get("redotrail.pump.compress"));
        assertEquals("ha", remote.get("redotrail.pump.trail"));
        assertEquals(null, pumha.get("redotrail.pump.rmtHost"), "the single-home pump writes its trail in its home");

        Map<String, String> repa = params("REPA", "cpr");
        assertEquals("REPA", repa.get("redotrail.replicat.group"));
        assertTrue(repa.get("redotrail.replicat.map").contains("MAP POS_USER9.*, TARGET POS_USER9.*"), repa.toString());
    }

    private Map<String, String> params(String group, String ext) {
        ProcessCheckpoint cp = new CheckpointFile(home.resolve("dirchk/" + group + "." + ext)).read().orElseThrow();
        return GroupParams.read(home, group, cp).overrides();
    }
}
