package io.redotrail.control.params;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.redotrail.control.params.GroupKind.EXTRACT;
import static io.redotrail.control.params.GroupKind.PUMP;
import static io.redotrail.control.params.GroupKind.REPLICAT;

/**
 * The statements a group's parameter file may hold, per kind of group, the ones refused with a reason of their
 * own (USERID with a password, options of RMTHOST written alone), and the small value parsers {@link GroupParams} shares. A
 * statement not listed is unknown: the start stops, naming file, line and statement. Stateless.
 */
final class ParamSpec {
    /** Statement → the kinds of group it applies to. */
    private static final Map<String, Set<GroupKind>> KNOWN = Map.ofEntries(
            Map.entry("EXTRACT", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("REPLICAT", EnumSet.of(REPLICAT)),
            Map.entry("EXTTRAIL", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("RMTTRAIL", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("PASSTHRU", EnumSet.of(PUMP)),
            Map.entry("NOPASSTHRU", EnumSet.of(PUMP)),
            Map.entry("TABLE", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("MAP", EnumSet.of(REPLICAT)),
            Map.entry("BR", EnumSet.of(EXTRACT)),
            Map.entry("WARNLONGTRANS", EnumSet.of(EXTRACT)),
            Map.entry("CACHEMGR", EnumSet.of(EXTRACT)),
            Map.entry("GROUPTRANSOPS", EnumSet.of(REPLICAT)),
            Map.entry("MAP_PARALLELISM", EnumSet.of(REPLICAT)),
            Map.entry("APPLY_PARALLELISM", EnumSet.of(REPLICAT)),
            Map.entry("MIN_APPLY_PARALLELISM", EnumSet.of(REPLICAT)),
            Map.entry("MAX_APPLY_PARALLELISM", EnumSet.of(REPLICAT)),
            Map.entry("SPLIT_TRANS_RECS", EnumSet.of(REPLICAT)),
            Map.entry("COMMIT_SERIALIZATION", EnumSet.of(REPLICAT)),
            Map.entry("BATCHSQL", EnumSet.of(REPLICAT)),
            Map.entry("NOBATCHSQL", EnumSet.of(REPLICAT)),
            Map.entry("REPERROR", EnumSet.of(REPLICAT)),
            Map.entry("HANDLECOLLISIONS", EnumSet.of(REPLICAT)),
            Map.entry("NOHANDLECOLLISIONS", EnumSet.of(REPLICAT)),
            Map.entry("DISCARDFILE", EnumSet.of(REPLICAT)),
            Map.entry("ASSUMETARGETDEFS", EnumSet.of(REPLICAT)),
            Map.entry("REPORTCOUNT", EnumSet.allOf(GroupKind.class)),
            Map.entry("USERIDALIAS", EnumSet.allOf(GroupKind.class)),
            Map.entry("NUMFILES", EnumSet.allOf(GroupKind.class)),
            Map.entry("ENCRYPTTRAIL", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("NOENCRYPTTRAIL", EnumSet.of(EXTRACT, PUMP)),
            Map.entry("DECRYPTTRAIL", EnumSet.of(PUMP, REPLICAT)),
            Map.entry("RMTHOST", EnumSet.of(EXTRACT, PUMP)));


    /** Statements GoldenGate knows that redotrail refuses with a reason of its own. */
    private static final Map<String, String> REFUSED = Map.of(
            "MGRPORT", ": MGRPORT is an option of RMTHOST: RMTHOST host, MGRPORT port [, COMPRESS] [, TIMEOUT n]",
            "COMPRESS", ": COMPRESS is an option of RMTHOST: RMTHOST host, MGRPORT port, COMPRESS",
            "RMTHOSTOPTIONS", ": RMTHOSTOPTIONS (passive Extract / alias Extract) is not supported: give the target as"
                    + " RMTHOST host, MGRPORT port",
            "USERID", ": give the login as USERIDALIAS alias [DOMAIN d] from the credential store"
                    + " (ALTER CREDENTIALSTORE ADD USER ...): a password is never written in a parameter file",
            "PASSWORD", ": give the login as USERIDALIAS alias [DOMAIN d] from the credential store"
                    + " (ALTER CREDENTIALSTORE ADD USER ...): a password is never written in a parameter file");

    private ParamSpec() {
    }

    /** Refuses a statement that is unknown, refused, or not one of {@code kind}'s. */
    static void require(Param p, GroupKind kind) {
        String refused = REFUSED.get(p.name());
        if (refused != null) throw new ParamException(p.file(), p.line(), p.name() + refused);
        Set<GroupKind> kinds = KNOWN.get(p.name());
        if (kinds == null) {
            throw new ParamException(p.file(), p.line(), "unknown parameter " + p.name()
                    + " (known: " + KNOWN.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
        }
        if (!kinds.contains(kind)) {
            throw new ParamException(p.file(), p.line(), p.name() + " does not apply to a " + kind.description()
                    + " (it applies to a " + kinds.stream().map(GroupKind::description).collect(Collectors.joining(" or ")) + ")");
        }
    }

    /** The words of a value, split at blanks and commas. */
    static List<String> words(String value) {
        List<String> out = new ArrayList<>(Arrays.asList(value.strip().split("[\\s,]+")));
        out.removeIf(String::isEmpty);
        return out;
    }

    /** The word after an option keyword ({@code i} already advanced to it). */
    static String argument(Param p, List<String> w, int i) {
        if (i >= w.size()) throw p.error(w.get(i - 1).toUpperCase(Locale.ROOT) + " needs a value");
        return w.get(i);
    }

    static void noValue(Param p) {
        if (!p.value().isEmpty()) throw p.error(p.name() + " takes no options");
    }

    static long number(Param p, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw p.error("'" + text.strip() + "' is not a whole number");
        }
        if (n < min || n > max) throw p.error("must be " + min + ".." + max + ", got " + n);
        return n;
    }

    /** {@code CACHEMGR CACHESIZE n{MB|GB}} → megabytes. */
    static long cacheSizeMb(Param p) {
        List<String> w = words(p.value());
        if (w.size() < 2 || !w.get(0).equalsIgnoreCase("CACHESIZE")) {
            throw p.error("expected CACHEMGR CACHESIZE n{MB|GB} (redotrail's cache spills to dirtmp/<group>/; no other CACHEMGR option)");
        }
        String size = String.join("", w.subList(1, w.size())).toUpperCase(Locale.ROOT);
        if (!size.matches("\\d+(MB|GB)")) throw p.error("CACHESIZE '" + size + "' must be a number followed by MB or GB, e.g. 1GB");
        long n = number(p, size.substring(0, size.length() - 2), 1, 1L << 20);
        long mb = size.endsWith("GB") ? n * 1024 : n;
        if (mb > 1L << 20) throw p.error("CACHESIZE " + size + " is more than 1 TB");
        return mb;
    }

    /**
     * {@code REPORTCOUNT [EVERY] n {RECORDS | SECONDS | MINUTES | HOURS}} → {@code EVERY n RECORDS|SECONDS|MINUTES}
     * (the {@code redotrail.reportCount} key; hours given in minutes).
     */
    static String reportCount(Param p) {
        List<String> w = words(p.value());
        if (!w.isEmpty() && w.get(0).equalsIgnoreCase("EVERY")) w = w.subList(1, w.size());
        if (w.size() != 2) throw p.error("expected REPORTCOUNT EVERY n RECORDS | SECONDS | MINUTES | HOURS");
        long n = number(p, w.get(0), 1, Integer.MAX_VALUE);
        return switch (w.get(1).toUpperCase(Locale.ROOT)) {
            case "RECORDS", "RECORD" -> "EVERY " + n + " RECORDS";
            case "SECONDS", "SECOND", "SECS", "SEC" -> "EVERY " + n + " SECONDS";
            case "MINUTES", "MINUTE", "MINS", "MIN" -> "EVERY " + n + " MINUTES";
            case "HOURS", "HOUR", "HRS", "HR" -> "EVERY " + (n * 60) + " MINUTES";
            default -> throw p.error("unknown unit '" + w.get(1) + "' (RECORDS, SECONDS, MINUTES, HOURS)");
        };
    }
}
