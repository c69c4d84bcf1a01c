package io.redotrail.bench;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.control.credentials.LinkTlsStores;
import io.redotrail.control.manager.ChildCommand;
import io.redotrail.control.manager.Manager;
import io.redotrail.control.manager.MgrParams;
import io.redotrail.extract.TransactionAggregator;
import io.redotrail.net.tls.TlsLink;
import io.redotrail.runtime.HomeSetup;
import io.redotrail.runtime.Pipeline;
import io.redotrail.runtime.Settings;
import io.redotrail.runtime.Workloads;
import io.redotrail.trail.crypto.TrailKeys;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two homes of {@code bench link}, as two hosts on one machine: under the scratch root (wiped first,
 * {@link BenchHome#wipe}) {@code source/} holds the played workload and the two trails its primary Extract wrote
 * once from the simulated redo — {@code ./dirdat/ex} in the clear (EXT1) and {@code ./dirdat/ee} with
 * {@code ENCRYPTTRAIL AES256, KEYNAME BENCHKEY} (EXT2, the key made as {@code keygen} makes it) — and {@code target/}
 * the home whose Manager ({@link Manager}, in this JVM, PORT 0) starts a collector JVM for each pump connection, as
 * {@code bin/redotrail mgr} does. TLS stores are made with keytool as docs/security.md says (a CA, the collector's key
 * store for 127.0.0.1, a trust store per home) and named by credential-store aliases ({@code linkkey},
 * {@code linktrust}). Immutable (the homes are not).
 */
record LinkHomes(Settings source, Path target, TrailDigest clear, TrailDigest encrypted) {
    static final String CLEAR_TRAIL = "ex", ENCRYPTED_TRAIL = "ee", KEY_NAME = "BENCHKEY";
    static final String KEY_ALIAS = "linkkey", TRUST_ALIAS = "linktrust";

    /** Wipes {@code base}'s home, plays the workload into {@code source/}, writes both trails, makes the TLS stores. */
    static LinkHomes prepare(Settings base, int transactions, long seed, PrintStream out) throws Exception {
        Path root = base.home();
        BenchHome.wipe(root);
        Map<String, String> keys = new HashMap<>(base.overrides());
        keys.put("redotrail.pump.tables", "*.*"); // the pump copies the whole trail: the copy is compared with it
        Settings src = PrewrittenTrail.settings(base.file(), root.resolve("source"), keys);
        Path tgt = root.resolve("target").toAbsolutePath().normalize();
        var played = Workloads.play(src, Workloads.config(src, transactions, seed, "redotrail.workload.transactions"), out);
        TrailKeys.generate(TrailKeys.defaultFile(src.home()), KEY_NAME, 256, new SecureRandom());
        extract(src, "EXT1", CLEAR_TRAIL, "", played.lastSelectedCsn());
        extract(src, "EXT2", ENCRYPTED_TRAIL, "AES256", played.lastSelectedCsn());
        TrailDigest clear = TrailDigest.of(src.home().resolve("dirdat").resolve(CLEAR_TRAIL));
        TrailDigest encrypted = TrailDigest.of(src.home().resolve("dirdat").resolve(ENCRYPTED_TRAIL));
        if (clear.transactions() != encrypted.transactions() || clear.rows() != encrypted.rows() || clear.lastCsn() != encrypted.lastCsn()) {
            throw new IllegalStateException("bench link: the clear and the encrypted trail of one redo differ: " + clear + " / " + encrypted);
        }
        HomeSetup.prepareFolders(PrewrittenTrail.settings(base.file(), tgt, base.overrides()));
        stores(root.resolve("ca"), src.home(), tgt);
        return new LinkHomes(src, tgt, clear, encrypted);
    }

    /** The primary Extract {@code group} from the start of the redo into {@code trail}, until it has captured everything. */
    private static void extract(Settings src, String group, String trail, String encrypt, long lastCsn) throws Exception {
        Map<String, String> keys = new HashMap<>(src.overrides());
        keys.putAll(Map.of("redotrail.extract.group", group, "redotrail.extract.trail", trail, "redotrail.extract.encrypt", encrypt,
                "redotrail.extract.keyName", KEY_NAME));
        try (Pipeline p = Pipeline.start(Settings.load(src.file(), keys), "file:routes/extract.yaml")) {
            var st = p.bean("extract", TransactionAggregator.class).stats();
            long seen = -1, stableSince = System.nanoTime();
            while (st.lastCsn < lastCsn || System.nanoTime() - stableSince < 1_000_000_000L) {
                if (p.abended()) throw new IllegalStateException("bench link: extract " + group + " abended: " + p.abends());
                long now = st.recordsRead.get();
                if (now != seen) {
                    seen = now;
                    stableSince = System.nanoTime();
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * docs/security.md's three keytool blocks: the link's CA in {@code caDir}, a trust store of it in each home, the
     * collector's key store in the target home for {@code ip:127.0.0.1}; then the credential aliases of both homes.
     */
    private static void stores(Path caDir, Path source, Path target) throws Exception {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String pass = Base64.getUrlEncoder().encodeToString(random);
        Files.createDirectories(caDir);
        keytool(caDir, pass, "-genkeypair", "-alias", "redotrail-ca", "-keyalg", "EC", "-groupname", "secp384r1", "-dname",
                "CN=redotrail link CA", "-ext", "bc:c", "-validity", "2", "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass:env", "BENCHPASS");
        keytool(caDir, pass, "-exportcert", "-rfc", "-alias", "redotrail-ca", "-keystore", "ca.p12", "-storepass:env", "BENCHPASS", "-file", "ca.pem");
        String ca = caDir.resolve("ca.pem").toAbsolutePath().toString();
        for (Path home : List.of(source, target)) {
            Path crt = Files.createDirectories(home.resolve("dircrt"));
            keytool(crt, pass, "-importcert", "-noprompt", "-alias", "redotrail-ca", "-file", ca, "-storetype", "PKCS12",
                    "-keystore", "trust.p12", "-storepass:env", "BENCHPASS");
        }
        Path crt = target.resolve("dircrt");
        String caStore = caDir.resolve("ca.p12").toAbsolutePath().toString();
        keytool(crt, pass, "-genkeypair", "-alias", "collector", "-keyalg", "EC", "-groupname", "secp384r1", "-dname", "CN=collector",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", "collector.p12", "-storepass:env", "BENCHPASS");
        keytool(crt, pass, "-certreq", "-alias", "collector", "-keystore", "collector.p12", "-storepass:env", "BENCHPASS", "-file", "collector.csr");
        keytool(crt, pass, "-gencert", "-rfc", "-alias", "redotrail-ca", "-keystore", caStore, "-storepass:env", "BENCHPASS", "-infile",
                "collector.csr", "-outfile", "collector.pem", "-ext", "SAN=ip:127.0.0.1", "-validity", "2");
        keytool(crt, pass, "-importcert", "-noprompt", "-alias", "redotrail-ca", "-file", ca, "-keystore", "collector.p12", "-storepass:env", "BENCHPASS");
        keytool(crt, pass, "-importcert", "-alias", "collector", "-file", "collector.pem", "-keystore", "collector.p12", "-storepass:env", "BENCHPASS");
        for (Path home : List.of(source, target)) {
            CredentialStore cs = CredentialStore.of(home);
            cs.create();
            cs.add(CredentialStore.DEFAULT_DOMAIN, TRUST_ALIAS, "ca@dircrt/trust.p12", pass);
        }
        CredentialStore.of(target).add(CredentialStore.DEFAULT_DOMAIN, KEY_ALIAS, "collector@dircrt/collector.p12", pass);
    }

    private static void keytool(Path dir, String pass, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        LinkBench.keytool(dir, pass, cmd);
    }

    /**
     * The target home's Manager, started: {@code dirprm/mgr.prm} is {@code PORT 0} (a free port), with {@code tls}
     * also {@code COLLECTORTLS KEYALIAS linkkey, TRUSTALIAS linktrust}. Its collectors are JVMs of this install.
     */
    Manager startManager(boolean tls) throws Exception {
        Files.writeString(Files.createDirectories(target.resolve("dirprm")).resolve("mgr.prm"), "PORT 0\n"
                + (tls ? "COLLECTORTLS KEYALIAS " + KEY_ALIAS + ", TRUSTALIAS " + TRUST_ALIAS + "\n" : ""));
        Manager m = new Manager(target, MgrParams.read(target), ChildCommand.ofThisJvm(ChildCommand.MAIN,
                List.of("--home", target.toString(), "--config", source.file().toAbsolutePath().normalize().toString())), Duration.ofSeconds(30));
        m.start();
        return m;
    }

    /** The pump's TLS (RMTHOST ..., TLS, TLSTRUSTALIAS linktrust), as the group process builds it from the source home. */
    TlsLink pumpTls() throws io.redotrail.net.tls.TlsException {
        return TlsLink.create(LinkTlsStores.settings(source.home(), null, TRUST_ALIAS, false));
    }
}
