package io.redotrail.control.params;

import io.redotrail.control.credentials.CredentialStore;
import io.redotrail.checkpoint.HomePaths;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.pump.TablePatterns;
import io.redotrail.replicat.error.RepError;
import io.redotrail.replicat.mapping.MapParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A group's parameter file {@code dirprm/<group>.prm} ({@link ParamFile} statements) read as GoldenGate reads
 * it, for the kind of group its checkpoint file defines ({@link GroupKind}), and turned into the configuration
 * keys of that kind's route template ({@link #overrides()}, each with the file and line it came from,
 * {@link #sources()}). The statements ({@link ParamSpec} has what each means): EXTRACT / REPLICAT (first, naming
 * the group), EXTTRAIL / RMTTRAIL (the trail the checkpoint file defines), PASSTHRU / NOPASSTHRU, TABLE, MAP
 * (with COLMAP / KEYCOLS), BR, WARNLONGTRANS, CACHEMGR, GROUPTRANSOPS, BATCHSQL / NOBATCHSQL, REPERROR,
 * HANDLECOLLISIONS / NOHANDLECOLLISIONS, DISCARDFILE, REPORTCOUNT, USERIDALIAS, NUMFILES, RMTHOST (a pump's
 * target host), ENCRYPTTRAIL / NOENCRYPTTRAIL / DECRYPTTRAIL ({@link EncryptionParams}). Any statement not listed
 * stops the start: a {@link ParamException} naming file, line and statement. Trails are taken from the checkpoint
 * file (GGSCI ADD defines them, as in GoldenGate), as a prefix under {@code <home>/dirdat/}; {@link TrailParams}
 * reads the trail statements and RMTHOST. Immutable once {@link #of} returns, so safe to share between threads.
 */
public final class GroupParams {
    private final ParamFile file;
    private final GroupKind kind;
    private final String group;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<Param> tables = new ArrayList<>();
    private Param userIdAlias;
    private String alias;
    /** USERIDALIAS's domain: GoldenGate's default credential-store domain unless DOMAIN names one. */
    private String domain = CredentialStore.DEFAULT_DOMAIN;

    private GroupParams(ParamFile file, GroupKind kind, String group) {
        this.file = file;
        this.kind = kind;
        this.group = group;
    }

    /**
     * The parameter file of {@code group}: {@code dirprm/<group>.prm} in lower case as GoldenGate writes it
     * ({@code dirprm/pumha.prm}), else an existing file whose name differs only in case ({@code PUMHA.prm},
     * {@code PumHa.prm}); the lower-case path when none exists. The one lookup: GGSCI's EDIT / VIEW PARAMS and the
     * group process read the same file.
     */
    public static Path fileOf(Path home, String group) {
        Path dir = home.resolve("dirprm");
        String name = group.toLowerCase(Locale.ROOT) + ".prm";
        Path lower = dir.resolve(name);
        if (Files.exists(lower) || !Files.isDirectory(dir)) return lower;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().equalsIgnoreCase(name)).sorted().findFirst().orElse(lower);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** Reads {@link #fileOf} for the group {@code cp} defines; a missing file is a ParamException naming it. */
    public static GroupParams read(Path home, String group, ProcessCheckpoint cp) {
        return of(ParamFile.read(fileOf(home, group)), home, group, cp);
    }

    /** The meaning of {@code pf} for the group {@code cp} defines (the checkpoint file of {@code home}). */
    public static GroupParams of(ParamFile pf, Path home, String group, ProcessCheckpoint cp) {
        GroupKind kind = GroupKind.of(cp);
        GroupParams g = new GroupParams(pf, kind, group.toUpperCase(Locale.ROOT));
        g.parse(home, cp);
        return g;
    }

    private void parse(Path home, ProcessCheckpoint cp) {
        List<Param> all = file.params();
        if (all.isEmpty()) {
            throw new ParamException(file.file(), 0, "no statement: the first must be " + kind.program() + " " + group);
        }
        Param first = all.get(0);
        if (!first.is(kind.program())) {
            throw first.error("the first statement must be " + kind.program() + " " + group + " (" + group + " is a "
                    + kind.description() + ", as " + checkpointName() + " defines it)");
        }
        if (!first.value().equalsIgnoreCase(group)) {
            throw first.error("names group " + first.value().toUpperCase(Locale.ROOT) + ", but this is the parameter file of " + group);
        }
        put(groupKey(), group, checkpointName());
        List<Param> trails = new ArrayList<>();
        List<String> maps = new ArrayList<>();
        List<String> repErrors = new ArrayList<>();
        List<String> pumpTables = new ArrayList<>();
        Param firstMap = null, firstRepError = null, firstTable = null, rmtHost = null;
        Param applyParallelism = null, minApply = null, maxApply = null;
        for (Param p : all.subList(1, all.size())) {
            ParamSpec.require(p, kind);
            switch (p.name()) {
                case "EXTRACT", "REPLICAT" -> throw p.error("only the first statement names the group");
                case "EXTTRAIL", "RMTTRAIL" -> trails.add(p);
                case "RMTHOST" -> {
                    if (rmtHost != null) throw p.error("a group sends to one target host (RMTHOST at line " + rmtHost.line() + ")");
                    rmtHost = p;
                }
                case "TABLE" -> {
                    table(p);
                    tables.add(p);
                    if (kind == GroupKind.PUMP) {
                        pumpTables.add(p.value());
                        if (firstTable == null) firstTable = p;
                    }
                }
                case "MAP" -> {
                    String m = "MAP " + p.value();
                    try {
                        MapParser.parse(m);
                    } catch (RuntimeException e) {
                        throw p.error(e.getMessage());
                    }
                    maps.add(m);
                    if (firstMap == null) firstMap = p;
                }
                case "REPERROR" -> {
                    try {
                        RepError.parse(p.value());
                    } catch (RuntimeException e) {
                        throw p.error(e.getMessage());
                    }
                    repErrors.add(p.value());
                    if (firstRepError == null) firstRepError = p;
                }
                case "BR" -> br(p);
                case "WARNLONGTRANS" -> warnLongTrans(p);
                case "CACHEMGR" -> put("redotrail.extract.cacheSizeMb", Long.toString(ParamSpec.cacheSizeMb(p)), p);
                case "GROUPTRANSOPS" -> put("redotrail.replicat.groupTransOps", Long.toString(ParamSpec.number(p, p.value(), 1, 1_000_000)), p);
                // the parallel Replicat's (ADD REPLICAT r, PARALLEL): a fixed number of appliers, or MIN/MAX to tune in
                case "MAP_PARALLELISM" -> put("redotrail.replicat.mapParallelism", Long.toString(ParamSpec.number(p, p.value(), 1, 256)), p);
                case "APPLY_PARALLELISM" -> {
                    put("redotrail.replicat.applyParallelism", Long.toString(ParamSpec.number(p, p.value(), 1, 256)), p);
                    applyParallelism = p;
                }
                case "MIN_APPLY_PARALLELISM" -> {
                    put("redotrail.replicat.minApplyParallelism", Long.toString(ParamSpec.number(p, p.value(), 1, 256)), p);
                    minApply = p;
                }
                case "MAX_APPLY_PARALLELISM" -> {
                    put("redotrail.replicat.maxApplyParallelism", Long.toString(ParamSpec.number(p, p.value(), 1, 256)), p);
                    maxApply = p;
                }
                case "SPLIT_TRANS_RECS" -> put("redotrail.replicat.splitTransRecs", Long.toString(ParamSpec.number(p, p.value(), 1, 256_000_000)), p);
                case "COMMIT_SERIALIZATION" -> {
                    String v = p.value() == null ? "" : p.value().trim().toUpperCase(java.util.Locale.ROOT);
                    if (!v.equals("FULL") && !v.equals("DEPENDENT_TRANSACTIONS")) {
                        throw p.error("COMMIT_SERIALIZATION must be FULL or DEPENDENT_TRANSACTIONS, got '" + p.value() + "'");
                    }
                    put("redotrail.replicat.commitSerialization", v, p);
                }
                case "BATCHSQL", "NOBATCHSQL" -> {
                    ParamSpec.noValue(p);
                    put("redotrail.replicat.batchSql", Boolean.toString(p.is("BATCHSQL")), p);
                }
                case "HANDLECOLLISIONS", "NOHANDLECOLLISIONS" -> {
                    ParamSpec.noValue(p);
                    put("redotrail.replicat.handleCollisions", Boolean.toString(p.is("HANDLECOLLISIONS")), p);
                }
                case "DISCARDFILE" -> discardFile(home, p);
                case "REPORTCOUNT" -> put("redotrail.reportCount", ParamSpec.reportCount(p), p);
                case "USERIDALIAS" -> userIdAlias(p);
                case "PASSTHRU" -> ParamSpec.noValue(p); // the pump never looks up table definitions
                case "NOPASSTHRU" -> throw p.error("NOPASSTHRU is not supported: this pump does no mapping, filtering or"
                        + " column conversion, it passes every record through as PASSTHRU does; remove NOPASSTHRU (or write PASSTHRU)");
                case "ENCRYPTTRAIL", "NOENCRYPTTRAIL", "DECRYPTTRAIL" -> EncryptionParams.apply(p, kind, home, (k, v) -> put(k, v, p));
                case "NUMFILES", "ASSUMETARGETDEFS" -> {
                    // informational in redotrail: no table-definition cache to size, the trail carries column names
                    if (p.is("NUMFILES")) ParamSpec.number(p, p.value(), 1, Integer.MAX_VALUE);
                    else ParamSpec.noValue(p);
                }
                default -> throw new IllegalStateException("ParamSpec accepted " + p.name() + " without a meaning");
            }
        }
        TrailParams.apply(this, home, cp, trails, rmtHost);
        if (kind == GroupKind.PUMP) {
            if (pumpTables.isEmpty()) {
                throw new ParamException(file.file(), 0, "a data pump needs at least one TABLE statement (TABLE *.*; passes every table)");
            }
            put("redotrail.pump.tables", String.join("; ", pumpTables), firstTable);
        }
        if (kind == GroupKind.REPLICAT) {
            if (maps.isEmpty()) {
                throw new ParamException(file.file(), 0, "a Replicat needs at least one MAP statement"
                        + " (MAP *.*, TARGET *.*; applies every table under its own name)");
            }
            put("redotrail.replicat.map", String.join("; ", maps), firstMap);
            if (!repErrors.isEmpty()) put("redotrail.replicat.repError", String.join("; ", repErrors), firstRepError);
            applyParallelism(applyParallelism, minApply, maxApply);
        }
    }

    /** GoldenGate's rules: APPLY_PARALLELISM (fixed) or MIN_ and MAX_APPLY_PARALLELISM (tuned between), not both. */
    private static void applyParallelism(Param fixed, Param min, Param max) {
        Param tuned = min != null ? min : max;
        if (fixed != null && tuned != null) {
            throw tuned.error("APPLY_PARALLELISM (line " + fixed.line() + ") fixes the appliers; MIN_APPLY_PARALLELISM and"
                    + " MAX_APPLY_PARALLELISM tune them between two numbers: use one or the other");
        }
        if ((min == null) != (max == null)) {
            throw tuned.error("MIN_APPLY_PARALLELISM and MAX_APPLY_PARALLELISM go together (the range the appliers are tuned"
                    + " in): add " + (min == null ? "MIN_APPLY_PARALLELISM" : "MAX_APPLY_PARALLELISM"));
        }
        if (min != null && Long.parseLong(min.value()) > Long.parseLong(max.value())) {
            throw max.error("below MIN_APPLY_PARALLELISM " + min.value() + " (line " + min.line() + ")");
        }
    }

    private void table(Param p) {
        try {
            TablePatterns.parse(p.value());
        } catch (RuntimeException e) {
            throw p.error(e.getMessage());
        }
    }

    /** {@code BR BRINTERVAL n [, BRDIR d] [, BRKEEPSTALEFILES] [, BRRESET] | BR BROFF}. */
    private void br(Param p) {
        List<String> w = ParamSpec.words(p.value());
        if (w.isEmpty()) throw p.error("expected BRINTERVAL n, BRDIR dir, BROFF, BRKEEPSTALEFILES or BRRESET");
        for (int i = 0; i < w.size(); i++) {
            switch (w.get(i).toUpperCase(Locale.ROOT)) {
                case "BRINTERVAL" -> put("redotrail.extract.brInterval", ParamSpec.argument(p, w, ++i), p);
                case "BRDIR" -> put("redotrail.extract.brDir", ParamSpec.argument(p, w, ++i), p);
                case "BROFF" -> put("redotrail.extract.brOff", "true", p);
                case "BRKEEPSTALEFILES" -> put("redotrail.extract.brKeepStaleFiles", "true", p);
                case "BRRESET" -> put("redotrail.extract.brReset", "true", p);
                default -> throw p.error("unknown BR option '" + w.get(i) + "' (BRINTERVAL n, BRDIR dir, BROFF, BRKEEPSTALEFILES, BRRESET)");
            }
        }
    }

    /** {@code WARNLONGTRANS n [, CHECKINTERVAL n]}; the values are checked as the configuration keys are. */
    private void warnLongTrans(Param p) {
        List<String> w = ParamSpec.words(p.value());
        if (w.isEmpty()) throw p.error("expected a duration, e.g. WARNLONGTRANS 2H, CHECKINTERVAL 10M");
        put("redotrail.extract.warnLongTrans", w.get(0), p);
        for (int i = 1; i < w.size(); i++) {
            if (!w.get(i).equalsIgnoreCase("CHECKINTERVAL")) throw p.error("unknown option '" + w.get(i) + "' (CHECKINTERVAL n)");
            put("redotrail.extract.checkInterval", ParamSpec.argument(p, w, ++i), p);
        }
    }

    /** {@code DISCARDFILE ./dirrpt/<group>.dsc [, APPEND | PURGE] [, MEGABYTES n | MAXBYTES n]}. */
    private void discardFile(Path home, Param p) {
        String v = p.value();
        int comma = v.indexOf(',');
        String path = (comma < 0 ? v : v.substring(0, comma)).strip();
        Path dsc = HomePaths.resolve(home, path);
        Path expected = home.toAbsolutePath().normalize().resolve("dirrpt").resolve(group + ".dsc");
        if (path.isEmpty() || !dsc.getParent().equals(expected.getParent())
                || !dsc.getFileName().toString().equalsIgnoreCase(expected.getFileName().toString())) {
            throw p.error("the discard file of " + group + " is ./dirrpt/" + group.toLowerCase(Locale.ROOT)
                    + ".dsc (redotrail writes dirrpt/" + group + ".dsc; another path is not supported)");
        }
        put("redotrail.replicat.discardFileOptions", comma < 0 ? "" : v.substring(comma + 1).strip(), p);
    }

    /** {@code USERIDALIAS alias [DOMAIN domain]}. */
    private void userIdAlias(Param p) {
        List<String> w = ParamSpec.words(p.value());
        if (w.size() == 1 || (w.size() == 3 && w.get(1).equalsIgnoreCase("DOMAIN"))) {
            userIdAlias = p;
            alias = w.get(0);
            domain = w.size() == 3 ? w.get(2) : CredentialStore.DEFAULT_DOMAIN;
            return;
        }
        throw p.error("expected USERIDALIAS alias [DOMAIN domain]");
    }

    String checkpointName() {
        return "dirchk/" + group + (kind == GroupKind.REPLICAT ? ".cpr" : ".cpe");
    }

    private String groupKey() {
        return switch (kind) {
            case EXTRACT -> "redotrail.extract.group";
            case PUMP -> "redotrail.pump.group";
            case REPLICAT -> "redotrail.replicat.group";
        };
    }

    void put(String key, String value, Param p) {
        put(key, value, p == null ? file.file().toString() : where(p));
    }

    void put(String key, String value, String source) {
        overrides.put(key, value);
        sources.put(key, source);
    }

    /** How a configuration error names a statement: {@code dirprm/ext1.prm line 4 (BR BRINTERVAL 2X)}. */
    static String where(Param p) {
        return p.file() + " line " + p.line() + " (" + p.text() + ")";
    }

    public Path file() {
        return file.file();
    }

    public ParamFile params() {
        return file;
    }

    public GroupKind kind() {
        return kind;
    }

    public String group() {
        return group;
    }

    /** Configuration key → value for the kind's route template, in statement order. */
    public Map<String, String> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    /** Configuration key → where its value came from (file, line and statement, or the checkpoint file). */
    public Map<String, String> sources() {
        return Collections.unmodifiableMap(sources);
    }

    /** A primary Extract's Bounded Recovery files: this file's BR options over {@code config}'s ({@link BrFiles}). */
    public BrFiles boundedRecovery(Path home, java.util.function.Function<String, String> config) {
        return BrFiles.of(home, group, overrides, config);
    }

    /** The TABLE statements (a primary Extract's, checked against the source's tables when it starts; a pump's). */
    public List<Param> tables() {
        return List.copyOf(tables);
    }

    /** The USERIDALIAS statement, or null. */
    public Param userIdAliasParam() {
        return userIdAlias;
    }

    public String alias() {
        return alias;
    }

    public String domain() {
        return domain;
    }
}
