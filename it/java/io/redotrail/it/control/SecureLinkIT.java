package io.redotrail.it.control;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.core.RowChange;
import io.redotrail.core.Transaction;
import io.redotrail.it.ItJvms;
import io.redotrail.it.net.TwoHomes;
import io.redotrail.net.tls.SecurityDocStores;
import io.redotrail.trail.crypto.TrailKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.redotrail.it.ItReadBack.assertNothingInClear;
import static io.redotrail.it.ItReadBack.decrypted;
import static io.redotrail.it.ItReadBack.homeFiles;
import static io.redotrail.it.ItReadBack.readTrail;
import static io.redotrail.it.ItReadBack.rowBodies;
import static io.redotrail.it.ItReadBack.rowValues;
import static io.redotrail.it.ItSupport.CONFIG;
import static io.redotrail.it.ItJvms.killMinus9;
import static io.redotrail.it.net.Host.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pump-collector link with COMPRESS (zstd) and TLS 1.3 with mutual authentication between two homes, every
 * program a JVM of its own on loopback: stores made by docs/security.md's keytool blocks (the CA in a folder of its
 * own, each home its trust store and key store), named by credential-store aliases in the pump's RMTHOST and the
 * target's mgr.prm COLLECTORTLS. A collector is killed -9 mid-stream (the pump reconnects over a new TLS session).
 * The Extract writes its trail with ENCRYPTTRAIL under a key made by {@code keygen} in the source home (ENCKEYS
 * copied, 0600, to the target home), the PASSTHRU pump sends the sealed records as they are, the Replicat decrypts.
 * At the end the target equals the source row for row, the remote trail holds every transaction once, its ROW
 * records byte for byte those of the local trail, no file of either home shows a row value, the key or a store
 * password, the collector logged its TLS session and the pump's report shows the compression ratio.
 */
class SecureLinkIT {
    private static final String TCPERRS = "ECONNREFUSED RETRY 20 1000; ECONNRESET RETRY 20 1000; ETIMEDOUT RETRY 20 1000;"
            + " ECONNABORTED RETRY 20 1000; EPIPE RETRY 20 1000";

    private final TwoHomes h;
    private final Path src;
    private final Path tgt;

    SecureLinkIT() throws java.io.IOException {
        h = new TwoHomes("SecureLinkIT", null);
        src = h.source.home;
        tgt = h.target.home;
    }

    /** The operator's steps of docs/security.md: a CA, a key store per host signed by it, a trust store per home. */
    private void makeStores() throws Exception {
        Path ca = h.root.resolve("ca");
        SecurityDocStores.run(1, ca, Map.of());
        SecurityDocStores.run(3, ca, Map.of("NAME", "collector", "SAN", "ip:127.0.0.1,dns:localhost"));
        SecurityDocStores.run(3, ca, Map.of("NAME", "pump", "SAN", "dns:pump.source.example"));
        for (Path home : List.of(src, tgt)) {
            Files.createDirectories(home.resolve("dircrt"));
            Files.copy(ca.resolve("dircrt/ca.pem"), home.resolve("dircrt/ca.pem"));
            SecurityDocStores.run(2, home, Map.of());
            CredentialStore cs = CredentialStore.of(home);
            cs.create();
            cs.add(CredentialStore.DEFAULT_DOMAIN, "linktrust", "ca@dircrt/trust.p12", SecurityDocStores.STOREPASS);
        }
        Files.copy(ca.resolve("dircrt/collector.p12"), tgt.resolve("dircrt/collector.p12"));
        Files.copy(ca.resolve("dircrt/pump.p12"), src.resolve("dircrt/pump.p12"));
        CredentialStore.of(tgt).add(CredentialStore.DEFAULT_DOMAIN, "linkkey", "collector@dircrt/collector.p12", SecurityDocStores.STOREPASS);
        CredentialStore.of(src).add(CredentialStore.DEFAULT_DOMAIN, "linkpump", "pump@dircrt/pump.p12", SecurityDocStores.STOREPASS);
    }

    private static final String KEY = "LINKK";

    /** {@code bin/redotrail keygen} in the source home, ENCKEYS copied owner-only to the target home: the key's hex. */
    private String makeKey() throws Exception {
        ItJvms.Cli keygen = ItJvms.execute("keygen", "--home", src.toString(), "--config", CONFIG.toString(), "256", KEY);
        assertEquals(0, keygen.exitCode(), keygen.output());
        Path keys = TrailKeys.defaultFile(src), copy = TrailKeys.defaultFile(tgt);
        Files.copy(keys, copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-------"));
        String keyHex = Files.readAllLines(keys).stream().filter(l -> l.startsWith(KEY + " "))
                .map(l -> l.split("\\s+")[1].substring(2)).findFirst().orElseThrow();
        assertEquals(64, keyHex.length(), "a 256-bit key");
        assertFalse(keygen.output().toUpperCase().contains(keyHex.toUpperCase()), "keygen printed its key");
        return keyHex;
    }

    /**
     * The pump (PASSTHRU, no DECRYPTTRAIL) sent the Extract's sealed ROW records over the link as they are: the remote
     * trail's record bodies equal the local trail's, all sealed (assertDelivered showed both hold the same transactions);
     * no file of either home (trails, reports, COLLECTOR_*.out, ggserr.log, checkpoints, stores) shows a row value,
     * the key or a store password.
     */
    private void assertSealedRecordsCrossedUnchanged(String keyHex) throws Exception {
        List<String> ex = rowBodies(src, "ex"), ha = rowBodies(tgt, "ha");
        assertTrue(ha.size() > 1000, "ROW records in the remote trail: " + ha.size());
        assertEquals(ex, ha, "ROW record bodies of the source's dirdat/ex and the target's dirdat/ha");
        List<Transaction> remote = readTrail(tgt, "ha");
        assertTrue(remote.stream().allMatch(t -> t.changes().stream().allMatch(RowChange::isSealed)), "every ha record is encrypted");

        Set<String> values = rowValues(decrypted(tgt.resolve("dirdat/ha"), TrailKeys.defaultFile(tgt)));
        assertTrue(values.size() > 100, "string values to look for: " + values.size());
        List<Path> files = new ArrayList<>(homeFiles(src));
        files.addAll(homeFiles(tgt));
        for (String must : List.of("dirdat/ex", "dirdat/ha", "ggserr.log", "dirrpt/COLLECTOR_", "dirrpt/PUMP1.rpt", "dirrpt/REP1.rpt", "dirchk")) {
            assertTrue(files.stream().anyMatch(f -> f.toString().contains(must)), must + " among the files scanned: " + files);
        }
        assertNothingInClear(files, values, keyHex, SecurityDocStores.STOREPASS);
    }

    @Test
    void compressedMutuallyAuthenticatedLinkDeliversEveryTransactionOnce() throws Exception {
        h.firstPlay(300, 31, true);
        makeStores();
        String keyHex = makeKey();
        int tport = TwoHomes.freePort();
        h.addGroups("PUMP1", "RMTHOST 127.0.0.1, MGRPORT " + tport + ", COMPRESS, COMPRESSALGORITHM ZSTD,"
                + " COMPRESSTHRESHOLD 100, TLS, TLSTRUSTALIAS linktrust, TLSKEYALIAS linkpump, TIMEOUT 10");
        h.source.prm("EXT1", "EXTRACT EXT1\nENCRYPTTRAIL AES256, KEYNAME " + KEY + "\nEXTTRAIL ./dirdat/ex\nTABLE *.*;\n");
        h.mgrPrm(h.target, "PORT " + tport + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n"
                + "COLLECTORTLS KEYALIAS linkkey, TRUSTALIAS linktrust, CLIENTAUTH\n");
        h.mgrPrm(h.source, "PORT " + TwoHomes.freePort() + "\nAUTOSTART ER *\nAUTORESTART ER *, RETRIES 20, WAITSECONDS 0\n");
        h.run(() -> {
            h.startManagers("--set", "redotrail.pump.tcpErrors=" + TCPERRS);
            h.source.awaitRunning("EXT1", -1);
            h.source.awaitRunning("PUMP1", -1);
            h.target.awaitRunning("REP1", -1);
            long collector = h.target.awaitCollector("ha", -1);
            h.awaitApplied(h.lastCsn(), WAIT);

            h.play(400, 32);
            killMinus9(collector); // mid-stream or between batches: either way the pump reconnects over a new TLS session
            h.target.awaitCollector("ha", collector);
            h.play(400, 33);
            h.awaitApplied(h.lastCsn(), WAIT);
            h.verify(); // both Managers stopped (exit 0), source = target, each transaction once in the remote trail
        });

        assertSealedRecordsCrossedUnchanged(keyHex);

        String log = h.source.ggserr() + h.target.ggserr();
        assertTrue(log.contains("connected to pump at 127.0.0.1:") && log.contains("over TLSv1.3, certificate collector of "), log);
        assertTrue(log.contains("client certificate required"), log);
        String report = Files.readString(h.source.home.resolve("dirrpt/PUMP1.rpt"));
        Matcher m = Pattern.compile("Link to the collector \\(COMPRESS ZSTD COMPRESSTHRESHOLD 100\\): raw (\\d+) bytes, wire (\\d+) bytes,"
                + " ratio ([0-9.]+):1, (\\d+) of (\\d+) frames compressed\\.").matcher(report);
        assertTrue(m.find(), report);
        // sealed row images are random bytes: zstd only gains on what stays in the clear (table names, XIDs, CSNs)
        assertTrue(Double.parseDouble(m.group(3)) > 1.0, "zstd on encrypted trail records: " + m.group());
        assertTrue(Long.parseLong(m.group(4)) > 0, m.group());
    }
}
