package io.redotrail.replicat.error;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * REPERROR rules: which response an apply error gets. Specification (bean property {@code repError}):
 * <pre>
 * rules    := rule { ';' rule }
 * rule     := ['('] error [','] response [ 'MAXRETRIES' n ] [')']
 * error    := DEFAULT | NOTFOUND | DUPLICATE | UNMAPPED | NOTABLE | MAPPING
 *           | sqlstate (5 characters, e.g. 23502) | sqlstate class (2 characters, e.g. 22)
 *           | integer (the driver's vendor code; Oracle's 1403 means NOTFOUND, 1 and -1 mean DUPLICATE; an unsigned
 *             number of 2 or 5 digits is read as a SQLSTATE class or SQLSTATE, write +NN for a 2-digit code)
 * response := ABEND | DISCARD | IGNORE | RETRYOP | TRANSABORT | TRANSDISCARD
 * </pre>
 * Symbolic errors: NOTFOUND = an UPDATE/DELETE matched no row; DUPLICATE = unique/primary key violation
 * (SQLSTATE 23505); UNMAPPED = no MAP statement for the source table; NOTABLE = the mapped target table does not
 * exist; MAPPING = a mapped column or key is missing, or a value the target column would round. Lookup order: symbolic error, 5-character SQLSTATE,
 * SQLSTATE class, vendor code, DEFAULT, else ABEND. Immutable.
 */
public final class RepError {
    /**
     * ABEND stops; DISCARD skips the operation into the discard file; IGNORE skips it; RETRYOP retries it;
     * TRANSABORT rolls back and replays the group; TRANSDISCARD skips the whole source transaction into the
     * discard file (every operation of it, none applied).
     */
    public enum Response { ABEND, DISCARD, IGNORE, RETRYOP, TRANSABORT, TRANSDISCARD }

    /** A rule: response and, for RETRYOP/TRANSABORT, the retry limit (GoldenGate default 10). */
    public record Rule(String error, Response response, int maxRetries) {
        @Override
        public String toString() {
            return error + " " + response + (response == Response.RETRYOP || response == Response.TRANSABORT
                    ? " MAXRETRIES " + maxRetries : "");
        }
    }

    public static final List<String> SYMBOLIC = List.of("DEFAULT", "NOTFOUND", "DUPLICATE", "UNMAPPED", "NOTABLE", "MAPPING");
    private static final Rule ABEND = new Rule("DEFAULT", Response.ABEND, 0);

    private final Map<String, Rule> rules;

    private RepError(Map<String, Rule> rules) {
        this.rules = rules;
    }

    public static RepError defaults() {
        return new RepError(Map.of());
    }

    public static RepError parse(String spec) {
        Map<String, Rule> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return new RepError(m);
        int n = 0;
        for (String raw : spec.split(";")) {
            n++;
            String r = raw.trim();
            if (r.isEmpty()) continue;
            if (r.startsWith("(") && r.endsWith(")")) r = r.substring(1, r.length() - 1).trim();
            String[] w = r.replace(',', ' ').trim().split("\\s+");
            if (w.length < 2) throw bad(n, raw, "expected '<error> <response>'");
            String err = error(w[0].toUpperCase(Locale.ROOT), n, raw);
            Response resp;
            try {
                resp = Response.valueOf(w[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(n, raw, "unknown response '" + w[1] + "' (ABEND, DISCARD, IGNORE, RETRYOP, TRANSABORT, TRANSDISCARD)");
            }
            int max = 10;
            if (w.length > 2) {
                if (w.length != 4 || !w[2].equalsIgnoreCase("MAXRETRIES")
                        || (resp != Response.RETRYOP && resp != Response.TRANSABORT)) {
                    throw bad(n, raw, "only RETRYOP and TRANSABORT take 'MAXRETRIES n'");
                }
                try {
                    max = Integer.parseInt(w[3]);
                } catch (NumberFormatException e) {
                    throw bad(n, raw, "MAXRETRIES needs an integer, got '" + w[3] + "'");
                }
                if (max < 0) throw bad(n, raw, "MAXRETRIES must be >= 0");
            }
            if (m.containsKey(err)) throw bad(n, raw, "error " + err + " given twice");
            m.put(err, new Rule(err, resp, max));
        }
        return new RepError(m);
    }

    private static String error(String e, int n, String raw) {
        if (SYMBOLIC.contains(e)) return e;
        if (e.matches("[+-]\\d+") || e.matches("\\d+") && e.length() != 5 && e.length() != 2) {
            long code = Long.parseLong(e);
            if (code == 1403 || code == 100) return "NOTFOUND";
            if (code == 1 || code == -1) return "DUPLICATE";
            return "CODE:" + code;
        }
        if (e.matches("[0-9A-Z]{5}")) return "STATE:" + e;
        if (e.matches("[0-9A-Z]{2}")) return "CLASS:" + e;
        throw bad(n, raw, "unknown error '" + e + "' (DEFAULT, NOTFOUND, DUPLICATE, UNMAPPED, NOTABLE, MAPPING, "
                + "a 5-character SQLSTATE, a 2-character SQLSTATE class or a vendor error number)");
    }

    private static IllegalArgumentException bad(int n, String raw, String why) {
        return new IllegalArgumentException("repError: rule " + n + " ('" + raw.trim() + "'): " + why);
    }

    /** Symbolic kind of a database error: DUPLICATE for unique violations, else null. */
    public static String kindOf(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return "DUPLICATE";
        }
        return null;
    }

    /** The rule for an error: {@code kind} is symbolic (may be null), {@code e} the database error (may be null). */
    public Rule ruleFor(String kind, SQLException e) {
        Rule r;
        if (kind != null && (r = rules.get(kind)) != null) return r;
        if (e != null) {
            String st = e.getSQLState();
            if (st != null && (r = rules.get("STATE:" + st)) != null) return r;
            if (st != null && st.length() >= 2 && (r = rules.get("CLASS:" + st.substring(0, 2))) != null) return r;
            if ((r = rules.get("CODE:" + e.getErrorCode())) != null) return r;
        }
        r = rules.get("DEFAULT");
        return r != null ? r : ABEND;
    }

    /** True when every error abends (no rule other than DEFAULT ABEND). */
    public boolean allAbend() {
        return rules.values().stream().allMatch(r -> r.response() == Response.ABEND);
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "DEFAULT ABEND" : String.join("; ", rules.values().stream().map(Rule::toString).toList());
    }
}
