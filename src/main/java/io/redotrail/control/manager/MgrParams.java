package io.redotrail.control.manager;

import io.redotrail.control.credentials.LinkTlsStores;
import io.redotrail.control.params.Wildcards;

import io.redotrail.control.params.Param;
import io.redotrail.control.params.ParamException;
import io.redotrail.control.params.ParamFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code dirprm/mgr.prm} says, GoldenGate's Manager parameters (docs/operations.md):
 * <pre>
 * PORT 7809                                   -- default 7809; PORT 0 (ours): any free port
 * LISTENADDRESS 127.0.0.1                     -- ours: the address the listener binds (default loopback)
 * AUTOSTART ER *                              -- EXTRACT | REPLICAT | ER, group name or wildcard
 * AUTORESTART ER *, RETRIES 2, WAITMINUTES 2, RESETMINUTES 120   (WAITSECONDS, RESETSECONDS as GoldenGate 19c)
 * PURGEOLDEXTRACTS ./dirdat/*, USECHECKPOINTS, MINKEEPFILES 1 | MINKEEPHOURS n | MINKEEPDAYS n,
 *                  FREQUENCYMINUTES 10 | FREQUENCYHOURS n | FREQUENCYSECONDS n (ours)
 * LAGREPORTMINUTES n | LAGREPORTHOURS n | LAGREPORTSECONDS n (ours)
 * LAGINFOSECONDS n | LAGINFOMINUTES n | LAGINFOHOURS n
 * LAGCRITICALSECONDS n | LAGCRITICALMINUTES n | LAGCRITICALHOURS n
 * DYNAMICPORTLIST 7840-7850, 7860            -- ports a collector may listen on (default: any free port)
 * COLLECTORTLS KEYALIAS a, TRUSTALIAS t [, CLIENTAUTH]  -- (ours) collectors speak TLS 1.3 with the key store and
 *                                             trust store of these credential aliases; CLIENTAUTH: pumps must
 *                                             present a trusted certificate (docs/security.md)
 * </pre>
 * A missing file means the defaults; an unknown parameter or option is a {@link ParamException} naming file and
 * line. Immutable.
 */
public record MgrParams(int port, String listenAddress, List<GroupRule> autoStart, List<RestartRule> autoRestart,
                        List<PurgeRule> purge, long lagReportMillis, long lagInfoMillis, long lagCriticalMillis,
                        List<Integer> dynamicPorts, LinkTlsStores.Aliases collectorTls, int httpPort) {

    public static final int DEFAULT_PORT = 7809;
    /** {@link #httpPort} when mgr.prm has no HTTPPORT: the Manager serves no HTTP. */
    public static final int NO_HTTP = -1;

    public MgrParams {
        autoStart = List.copyOf(autoStart);
        autoRestart = List.copyOf(autoRestart);
        purge = List.copyOf(purge);
        dynamicPorts = List.copyOf(dynamicPorts);
    }

    /** {@code EXTRACT | REPLICAT | ER} and a group name or wildcard ({@code *}, {@code EXT*}). */
    public record GroupRule(String kind, String pattern) {
        public boolean matches(String processType, String group) {
            boolean kindOk = kind.equals("ER") || kind.equals(processType);
            return kindOk && Wildcards.matches(pattern, group);
        }

        public String text() {
            return kind + " " + pattern;
        }
    }

    /** AUTORESTART: GoldenGate's RETRIES counts retries after the first restart (RETRIES 2: up to 3 restarts). */
    public record RestartRule(GroupRule groups, int retries, long waitMillis, long resetMillis) {
        public int maxRestarts() {
            return retries + 1;
        }
    }

    /**
     * PURGEOLDEXTRACTS: {@code trail} as written ({@code ./dirdat/*}, {@code ./dirdat/ex*}), resolved against the
     * home; {@code minKeepHours} &gt; 0 wins over {@code minKeepFiles} as in GoldenGate.
     */
    public record PurgeRule(String trail, boolean useCheckpoints, int minKeepFiles, long minKeepMillis,
                            long frequencyMillis) {
        public String ruleText() {
            return (useCheckpoints ? "USECHECKPOINTS" : "NOUSECHECKPOINTS")
                    + (minKeepMillis > 0 ? ", MINKEEPHOURS " + minKeepMillis / 3_600_000.0 : ", MINKEEPFILES " + minKeepFiles);
        }
    }

    public static Path fileOf(Path home) {
        return home.resolve("dirprm").resolve("mgr.prm");
    }

    /** Reads {@code <home>/dirprm/mgr.prm}; the defaults when it does not exist. */
    public static MgrParams read(Path home) {
        Path f = fileOf(home);
        if (!Files.exists(f)) return parse(ParamFile.parse(f, ""));
        return parse(ParamFile.read(f));
    }

    public static MgrParams parse(ParamFile file) {
        int port = DEFAULT_PORT;
        String listen = "127.0.0.1";
        List<GroupRule> autoStart = new ArrayList<>();
        List<RestartRule> autoRestart = new ArrayList<>();
        List<PurgeRule> purge = new ArrayList<>();
        long lagReport = 0, lagInfo = -1, lagCritical = -1;
        List<Integer> dynamicPorts = new ArrayList<>();
        LinkTlsStores.Aliases collectorTls = null;
        int httpPort = NO_HTTP;
        Param lagReportParam = null, lagThreshold = null;
        for (Param p : file.params()) {
            if (p.name().startsWith("LAGREPORT")) lagReportParam = p;
            if (p.name().startsWith("LAGINFO") || p.name().startsWith("LAGCRITICAL")) lagThreshold = p;
            switch (p.name()) {
                case "PORT" -> {
                    // PORT 0 (ours): a port the system chooses; MGR.pid records it, where GGSCI looks first
                    port = (int) number(p, single(p), 0, 65535);
                }
                case "LISTENADDRESS" -> listen = single(p);
                case "AUTOSTART" -> {
                    List<String> w = options(p);
                    if (w.size() > 2) throw p.error("unexpected '" + w.get(2) + "': AUTOSTART takes EXTRACT | REPLICAT | ER and one group name or wildcard");
                    autoStart.add(groupRule(p, w));
                }
                case "AUTORESTART" -> autoRestart.add(restartRule(p));
                case "PURGEOLDEXTRACTS" -> purge.add(purgeRule(p));
                case "LAGREPORTSECONDS", "LAGREPORTMINUTES", "LAGREPORTHOURS" -> lagReport = duration(p, "LAGREPORT");
                case "LAGINFOSECONDS", "LAGINFOMINUTES", "LAGINFOHOURS" -> lagInfo = duration(p, "LAGINFO");
                case "LAGCRITICALSECONDS", "LAGCRITICALMINUTES", "LAGCRITICALHOURS" -> lagCritical = duration(p, "LAGCRITICAL");
                case "DYNAMICPORTLIST" -> dynamicPorts(p, dynamicPorts);
                case "COLLECTORTLS" -> collectorTls = collectorTls(p);
                case "HTTPPORT" -> httpPort = (int) number(p, single(p), 0, 65535);
                default -> throw p.error("unknown Manager parameter (docs/operations.md lists the ones this Manager reads)");
            }
        }
        if (lagReportParam != null && lagThreshold == null) {
            // the Manager reports lag against LAGINFO / LAGCRITICAL only: alone, LAGREPORT would silently do nothing
            throw lagReportParam.error(lagReportParam.name() + " without LAGINFO* or LAGCRITICAL* reports nothing: add"
                    + " LAGINFOMINUTES n or LAGCRITICALMINUTES n (the thresholds it checks), or remove it");
        }
        if ((lagInfo >= 0 || lagCritical >= 0) && lagReport == 0) lagReport = 60 * 60_000L; // GoldenGate: hourly unless set
        return new MgrParams(port, listen, autoStart, autoRestart, purge, lagReport, lagInfo, lagCritical, dynamicPorts, collectorTls, httpPort);
    }

    /** {@code COLLECTORTLS KEYALIAS a, TRUSTALIAS t [, CLIENTAUTH]}. */
    private static LinkTlsStores.Aliases collectorTls(Param p) {
        String key = null, trust = null;
        boolean clientAuth = false;
        List<String> w = options(p);
        for (int i = 0; i < w.size(); i++) {
            switch (w.get(i).toUpperCase(Locale.ROOT)) {
                case "KEYALIAS" -> key = aliasAfter(p, w, ++i);
                case "TRUSTALIAS" -> trust = aliasAfter(p, w, ++i);
                case "CLIENTAUTH" -> clientAuth = true;
                default -> throw p.error("unknown COLLECTORTLS option '" + w.get(i) + "' (KEYALIAS a, TRUSTALIAS t, CLIENTAUTH)");
            }
        }
        if (key == null || trust == null) {
            throw p.error("COLLECTORTLS needs KEYALIAS and TRUSTALIAS, the credential-store aliases of the collector's key store"
                    + " and trust store (docs/security.md)");
        }
        return new LinkTlsStores.Aliases(key, trust, clientAuth);
    }

    private static String aliasAfter(Param p, List<String> w, int i) {
        if (i >= w.size()) throw p.error(w.get(i - 1) + " needs a credential-store alias");
        return w.get(i);
    }

    /** {@code DYNAMICPORTLIST 7840-7850, 7860}: ports and ranges, at most 5000 ports as GoldenGate allows. */
    private static void dynamicPorts(Param p, List<Integer> into) {
        if (p.value().isBlank()) throw p.error("needs ports or ranges, e.g. DYNAMICPORTLIST 7840-7850, 7860");
        for (String item : p.value().strip().replaceAll("\\s*-\\s*", "-").split("[\\s,]+")) {
            if (item.isBlank()) continue;
            String[] r = item.strip().split("-", -1);
            if (r.length > 2) throw p.error("'" + item + "' is not a port or a range low-high");
            long lo = number(p, r[0], 1, 65535);
            long hi = r.length == 2 ? number(p, r[1], 1, 65535) : lo;
            if (hi < lo) throw p.error("range " + item + " runs backwards");
            for (long port = lo; port <= hi; port++) {
                if (!into.contains((int) port)) into.add((int) port);
                if (into.size() > 5000) throw p.error("more than 5000 ports");
            }
        }
    }

    /** The value's words, split at commas and spaces, upper-cased. */
    private static List<String> options(Param p) {
        List<String> out = new ArrayList<>();
        for (String w : p.value().split("[\\s,]+")) {
            if (!w.isEmpty()) out.add(w);
        }
        return out;
    }

    private static String single(Param p) {
        List<String> w = options(p);
        if (w.size() != 1) throw p.error("takes exactly one value");
        return w.get(0);
    }

    private static long number(Param p, String s, long min, long max) {
        try {
            long v = Long.parseLong(s);
            if (v < min || v > max) throw p.error("'" + s + "' is out of range " + min + ".." + max);
            return v;
        } catch (NumberFormatException e) {
            throw p.error("'" + s + "' is not a number");
        }
    }

    private static long duration(Param p, String stem) {
        long n = number(p, single(p), 0, Integer.MAX_VALUE);
        return n * unitMillis(p, p.name().substring(stem.length()));
    }

    private static long unitMillis(Param p, String unit) {
        return switch (unit) {
            case "SECONDS" -> 1000L;
            case "MINUTES" -> 60_000L;
            case "HOURS" -> 3_600_000L;
            case "DAYS" -> 86_400_000L;
            default -> throw p.error("unknown time unit " + unit);
        };
    }

    private static GroupRule groupRule(Param p, List<String> w) {
        if (w.size() < 2) throw p.error("needs EXTRACT | REPLICAT | ER and a group name or wildcard");
        String kind = w.get(0).toUpperCase(Locale.ROOT);
        kind = switch (kind) {
            case "EXTRACT", "EXT" -> "EXTRACT";
            case "REPLICAT", "REP" -> "REPLICAT";
            case "ER" -> "ER";
            default -> throw p.error("'" + w.get(0) + "' is not EXTRACT, REPLICAT or ER");
        };
        return new GroupRule(kind, w.get(1).toUpperCase(Locale.ROOT));
    }

    private static RestartRule restartRule(Param p) {
        List<String> w = options(p);
        GroupRule g = groupRule(p, w);
        int retries = 2;
        long wait = 2 * 60_000L, reset = 120 * 60_000L;
        for (int i = 2; i < w.size(); i += 2) {
            String opt = w.get(i).toUpperCase(Locale.ROOT);
            if (i + 1 >= w.size()) throw p.error(opt + " needs a value");
            String v = w.get(i + 1);
            switch (opt) {
                case "RETRIES" -> retries = (int) number(p, v, 0, 10_000);
                case "WAITMINUTES", "WAITSECONDS" -> wait = number(p, v, 0, Integer.MAX_VALUE) * unitMillis(p, opt.substring(4));
                case "RESETMINUTES", "RESETSECONDS" -> reset = number(p, v, 0, Integer.MAX_VALUE) * unitMillis(p, opt.substring(5));
                default -> throw p.error("unknown AUTORESTART option " + w.get(i));
            }
        }
        return new RestartRule(g, retries, wait, reset);
    }

    private static PurgeRule purgeRule(Param p) {
        List<String> w = options(p);
        if (w.isEmpty()) throw p.error("needs a trail name such as ./dirdat/*");
        String trail = w.get(0);
        boolean useCheckpoints = true;
        int minKeepFiles = 1;
        long minKeepMillis = 0;
        long frequency = 10 * 60_000L;
        for (int i = 1; i < w.size(); i++) {
            String opt = w.get(i).toUpperCase(Locale.ROOT);
            switch (opt) {
                case "USECHECKPOINTS" -> useCheckpoints = true;
                case "NOUSECHECKPOINTS" -> throw p.error("NOUSECHECKPOINTS is not supported: this Manager only purges "
                        + "files every reader has finished");
                case "MINKEEPFILES", "MINKEEPHOURS", "MINKEEPDAYS", "FREQUENCYMINUTES", "FREQUENCYHOURS", "FREQUENCYSECONDS" -> {
                    if (i + 1 >= w.size()) throw p.error(opt + " needs a value");
                    long v = number(p, w.get(++i), opt.equals("MINKEEPFILES") ? 1 : 0, Integer.MAX_VALUE);
                    switch (opt) {
                        case "MINKEEPFILES" -> minKeepFiles = (int) v;
                        case "MINKEEPHOURS", "MINKEEPDAYS" -> minKeepMillis = v * unitMillis(p, opt.substring(7));
                        default -> {
                            if (v == 0) throw p.error(opt + " must be at least 1");
                            frequency = v * unitMillis(p, opt.substring(9));
                        }
                    }
                }
                default -> throw p.error("unknown PURGEOLDEXTRACTS option " + w.get(i));
            }
        }
        return new PurgeRule(trail, useCheckpoints, minKeepFiles, minKeepMillis, frequency);
    }
}
