package io.redotrail.control.params;

import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.checkpoint.WriteCheckpoint;
import io.redotrail.net.compress.Compression;
import io.redotrail.net.compress.CompressionOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The trail statements of a group's parameter file, for {@link GroupParams}: EXTTRAIL / RMTTRAIL (the trail the
 * group writes, which must be the one its checkpoint file defines), RMTHOST (a pump's target host:
 * {@code RMTHOST host, MGRPORT port [, COMPRESS [, COMPRESSALGORITHM LZ4|ZSTD] [, COMPRESSTHRESHOLD n]] [, TIMEOUT n]
 * [, TLS, TLSTRUSTALIAS alias [, TLSKEYALIAS alias]]}) and the trail a pump or Replicat reads (its checkpoint
 * file's). Every trail becomes a prefix under {@code <home>/dirdat/}. Holds only the GroupParams it fills, for the
 * one call of {@link #apply}; not thread-safe (GroupParams is filled by one thread before anyone sees it).
 */
final class TrailParams {
    private final GroupParams g;
    private final GroupKind kind;
    private final String group;

    private TrailParams(GroupParams g) {
        this.g = g;
        this.kind = g.kind();
        this.group = g.group();
    }

    /**
     * Puts the trail keys into {@code g}: the written trail (not for a Replicat), then RMTHOST's (null when the
     * file has none), then the read trail (not for a primary Extract). {@code trails} are the EXTTRAIL /
     * RMTTRAIL statements in file order.
     */
    static void apply(GroupParams g, Path home, ProcessCheckpoint cp, List<Param> trails, Param rmtHost) {
        TrailParams t = new TrailParams(g);
        if (t.kind != GroupKind.REPLICAT) t.writeTrail(home, cp, trails);
        if (rmtHost != null) t.rmtHost(rmtHost, trails);
        if (t.kind != GroupKind.EXTRACT) t.readTrail(home, cp);
    }

    /**
     * {@code RMTHOST host, MGRPORT port [, COMPRESS] [, TIMEOUT n]} (MGRPORT also as PORT): the pump's RMTTRAIL is
     * written by a collector the Manager on {@code host} starts, in the target home.
     */
    private void rmtHost(Param p, List<Param> trails) {
        if (kind != GroupKind.PUMP) {
            throw p.error("RMTHOST in a primary Extract is not supported: write an EXTTRAIL and add a data pump with"
                    + " RMTHOST and RMTTRAIL (it keeps capture landing on disk while the network is down)");
        }
        if (trails.isEmpty() || !trails.get(0).is("RMTTRAIL")) throw p.error("RMTHOST needs an RMTTRAIL, the trail it writes on the target host");
        List<String> w = ParamSpec.words(p.value());
        if (w.isEmpty()) throw p.error("expected RMTHOST host, MGRPORT port [, COMPRESS] [, TIMEOUT n]");
        String host = w.get(0);
        if (!host.matches("[A-Za-z0-9._:-]+") || host.equalsIgnoreCase("MGRPORT")) throw p.error("'" + host + "' is not a host name or address");
        g.put("redotrail.pump.rmtHost", host, p);
        boolean port = false, algorithm = false;
        Boolean compress = null;
        for (int i = 1; i < w.size(); i++) {
            switch (w.get(i).toUpperCase(Locale.ROOT)) {
                case "MGRPORT", "PORT" -> {
                    g.put("redotrail.pump.mgrPort", Long.toString(ParamSpec.number(p, ParamSpec.argument(p, w, ++i), 1, 65535)), p);
                    port = true;
                }
                case "COMPRESS" -> compress = true;
                case "NOCOMPRESS" -> compress = false;
                case "COMPRESSALGORITHM" -> {
                    String a = ParamSpec.argument(p, w, ++i);
                    try {
                        g.put("redotrail.pump.compressAlgorithm", Compression.ofAlgorithm(a).name(), p);
                    } catch (IllegalArgumentException e) {
                        throw p.error(e.getMessage());
                    }
                    algorithm = true;
                }
                case "COMPRESSTHRESHOLD" -> g.put("redotrail.pump.compressThreshold",
                        Long.toString(ParamSpec.number(p, ParamSpec.argument(p, w, ++i), 0, CompressionOptions.MAX_THRESHOLD)), p);
                case "TIMEOUT" -> g.put("redotrail.pump.rmtTimeout", Long.toString(ParamSpec.number(p, ParamSpec.argument(p, w, ++i), 1, 86_400)), p);
                case "TLS" -> g.put("redotrail.pump.tls", "true", p);
                case "TLSTRUSTALIAS" -> g.put("redotrail.pump.tlsTrustAlias", ParamSpec.argument(p, w, ++i), p);
                case "TLSKEYALIAS" -> g.put("redotrail.pump.tlsKeyAlias", ParamSpec.argument(p, w, ++i), p);
                default -> throw p.error("unknown RMTHOST option '" + w.get(i) + "' (MGRPORT port, COMPRESS, COMPRESSALGORITHM LZ4|ZSTD,"
                        + " COMPRESSTHRESHOLD n, TIMEOUT n, TLS, TLSTRUSTALIAS alias, TLSKEYALIAS alias)");
            }
        }
        if (!port) throw p.error("RMTHOST needs MGRPORT port, the target Manager's port (RMTHOST " + host + ", MGRPORT 7809)");
        if (compress != null) g.put("redotrail.pump.compress", compress.toString(), p);
        if (algorithm && !Boolean.TRUE.equals(compress)) throw p.error("COMPRESSALGORITHM chooses how COMPRESS compresses: add COMPRESS");
        boolean tls = g.overrides().containsKey("redotrail.pump.tls");
        if (tls && !g.overrides().containsKey("redotrail.pump.tlsTrustAlias")) {
            throw p.error("TLS needs TLSTRUSTALIAS alias: the credential-store alias of the trust store that holds the link's CA"
                    + " (docs/security.md)");
        }
        if (!tls && (g.overrides().containsKey("redotrail.pump.tlsTrustAlias") || g.overrides().containsKey("redotrail.pump.tlsKeyAlias"))) {
            throw p.error("TLSTRUSTALIAS and TLSKEYALIAS set up TLS: add TLS");
        }
    }

    /** EXTTRAIL / RMTTRAIL: the one trail the checkpoint file defines for the group, prefix under dirdat/. */
    private void writeTrail(Path home, ProcessCheckpoint cp, List<Param> trails) {
        String add = kind == GroupKind.PUMP ? "RMTTRAIL" : "EXTTRAIL";
        if (trails.isEmpty()) {
            throw new ParamException(g.file(), 0, "no " + add + " statement: a " + kind.description()
                    + " writes one trail (" + add + " ./dirdat/xx, as ADD " + add + " defined it)");
        }
        if (trails.size() > 1) throw trails.get(1).error("a group writes one trail in redotrail (first at line " + trails.get(0).line() + ")");
        Param t = trails.get(0);
        if (kind == GroupKind.EXTRACT && t.is("RMTTRAIL")) {
            throw t.error("a primary Extract writing a remote trail needs RMTHOST, and remote delivery is not available yet:"
                    + " write an EXTTRAIL and add a data pump that writes the RMTTRAIL in this home");
        }
        List<WriteCheckpoint> writes = cp.writes();
        if (writes.isEmpty()) {
            throw t.error("no trail is defined for " + group + " in " + g.checkpointName() + ": ADD " + add + " "
                    + t.value() + ", EXTRACT " + group + " first");
        }
        WriteCheckpoint w = writes.get(0);
        if (writes.size() > 1 || !HomePaths.same(home, t.value(), w.trail())) {
            throw t.error("does not match the trail " + g.checkpointName() + " defines for " + group + " ("
                    + writes.stream().map(WriteCheckpoint::trail).toList() + ", ADD " + add + ")");
        }
        boolean pump = kind == GroupKind.PUMP;
        g.put(pump ? "redotrail.pump.trail" : "redotrail.extract.trail", prefix(home, w.trail(), t), t);
        if (w.megabytes() > 0) {
            g.put(pump ? "redotrail.pump.megabytes" : "redotrail.extract.megabytes", Integer.toString(w.megabytes()), g.checkpointName());
        }
    }

    /** The trail a pump or Replicat reads: its checkpoint file's trail read checkpoint. */
    private void readTrail(Path home, ProcessCheckpoint cp) {
        if (cp.trailRead() == null || cp.trailRead().trail() == null || cp.trailRead().trail().isBlank()) {
            throw new ParamException(g.file(), 0, g.checkpointName() + " defines no trail for " + group + " to read");
        }
        String key = kind == GroupKind.PUMP ? "redotrail.extract.trail" : "redotrail.pump.trail";
        g.put(key, prefix(home, cp.trailRead().trail(), null), g.checkpointName());
    }

    /** The prefix of a trail under {@code <home>/dirdat/}: {@code ./dirdat/ex} → {@code ex}. */
    private String prefix(Path home, String trail, Param p) {
        Path t = HomePaths.resolve(home, trail);
        Path dirdat = home.toAbsolutePath().normalize().resolve("dirdat");
        String name = t.getFileName() == null ? "" : t.getFileName().toString();
        if (!dirdat.equals(t.getParent()) || !name.matches("[A-Za-z_][A-Za-z0-9_]")) {
            String why = "trail " + trail + " must be ./dirdat/ and a two-character prefix (first not a digit) in the home "
                    + home + ": redotrail keeps every trail of a home in its dirdat/";
            if (p != null) throw p.error(why);
            throw new ParamException(g.file(), 0, g.checkpointName() + ": " + why);
        }
        return name;
    }
}
