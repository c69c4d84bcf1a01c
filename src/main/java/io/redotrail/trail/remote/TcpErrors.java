package io.redotrail.trail.remote;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a pump does on a TCP/IP error, as GoldenGate's TCPERRS file says it: per error a response (RETRY or
 * ABEND), a delay in centiseconds and a maximum number of retries. Text: lines or {@code ;}-separated entries
 * {@code ERROR RESPONSE DELAY MAXRETRIES}, {@code #} comments; entries given replace the defaults of their error
 * (GoldenGate's: ECONNREFUSED RETRY 1000 12, ECONNRESET RETRY 500 10, ...). An error not listed abends, among them
 * TLSERROR (ours: a TLS handshake refused, docs/security.md). EPROTO (errno 71, ours too: a frame that passed
 * its CRC but is not the message the protocol expects, e.g. another program answering on the collector's port)
 * retries as ECONNRESET does by default.
 * Immutable.
 */
public final class TcpErrors {
    /** GoldenGate's shipped tcperrs defaults for the errors a Java socket can tell apart. */
    public static final String DEFAULTS = "ECONNABORTED RETRY 1000 10; ECONNREFUSED RETRY 1000 12; ECONNRESET RETRY 500 10;"
            + " ENETUNREACH RETRY 3000 50; EHOSTUNREACH RETRY 3000 50; EPIPE RETRY 500 10; ETIMEDOUT RETRY 1000 10;"
            + " NODYNPORTS RETRY 100 10; EPROTO RETRY 500 10";

    /** One entry: {@code delayCentis} between attempts, at most {@code maxRetries} attempts in a row. */
    public record Rule(String error, boolean retry, int delayCentis, int maxRetries) {
        public long delayMillis() {
            return delayCentis * 10L;
        }
    }

    private final Map<String, Rule> rules;

    private TcpErrors(Map<String, Rule> rules) {
        this.rules = Map.copyOf(rules);
    }

    /** The defaults with {@code text}'s entries over them (null or blank: the defaults). */
    public static TcpErrors parse(String text) {
        Map<String, Rule> m = new LinkedHashMap<>();
        read(DEFAULTS, m);
        if (text != null && !text.isBlank()) read(text, m);
        return new TcpErrors(m);
    }

    private static void read(String text, Map<String, Rule> into) {
        for (String entry : text.split("[;\\n]")) {
            String e = entry.replaceAll("#.*", "").strip();
            if (e.isEmpty()) continue;
            List<String> w = List.of(e.split("\\s+"));
            if (w.size() != 4) throw new IllegalArgumentException("TCPERRS entry '" + e + "': expected ERROR RETRY|ABEND DELAY MAXRETRIES");
            String response = w.get(1).toUpperCase(Locale.ROOT);
            if (!response.equals("RETRY") && !response.equals("ABEND")) {
                throw new IllegalArgumentException("TCPERRS entry '" + e + "': response must be RETRY or ABEND");
            }
            int delay, max;
            try {
                delay = Integer.parseInt(w.get(2));
                max = Integer.parseInt(w.get(3));
            } catch (NumberFormatException x) {
                throw new IllegalArgumentException("TCPERRS entry '" + e + "': DELAY (centiseconds) and MAXRETRIES are whole numbers");
            }
            if (delay < 0 || max < 0) throw new IllegalArgumentException("TCPERRS entry '" + e + "': negative value");
            String error = w.get(0).toUpperCase(Locale.ROOT);
            into.put(error, new Rule(error, response.equals("RETRY"), delay, max));
        }
    }

    /** The rule of {@code error}; an error not listed abends at once. */
    public Rule rule(String error) {
        return rules.getOrDefault(error, new Rule(error, false, 0, 0));
    }

    /** The errno name of a Java socket failure ({@code ECONNREFUSED}, {@code ECONNRESET}, ...). */
    public static String errorOf(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.startsWith("nodynports")) return "NODYNPORTS";
        // a certificate or TLS set-up the peer refuses is not fixed by retrying: abends at once unless TCPERRS says TLSERROR RETRY
        if (e instanceof io.redotrail.net.tls.TlsException) return "TLSERROR";
        if (e instanceof ConnectException && m.contains("refused")) return "ECONNREFUSED";
        if (e instanceof SocketTimeoutException || m.contains("timed out")) return "ETIMEDOUT";
        if (e instanceof NoRouteToHostException || m.contains("no route")) return "EHOSTUNREACH";
        if (m.contains("network is unreachable")) return "ENETUNREACH";
        if (e instanceof UnknownHostException) return "EHOSTUNREACH";
        if (m.contains("broken pipe")) return "EPIPE";
        if (m.contains("reset") || e instanceof EOFException || m.contains("closed")) return "ECONNRESET";
        if (e instanceof SocketException) return "ECONNABORTED";
        return "ECONNABORTED";
    }

    /** The errno of {@link #errorOf} with its number on Linux, as GoldenGate prints it: {@code 111 (Connection refused)}. */
    public static String describe(String error) {
        return switch (error) {
            case "ECONNREFUSED" -> "111 (Connection refused)";
            case "ECONNRESET" -> "104 (Connection reset by peer)";
            case "ETIMEDOUT" -> "110 (Connection timed out)";
            case "EPIPE" -> "32 (Broken pipe)";
            case "EHOSTUNREACH" -> "113 (No route to host)";
            case "ENETUNREACH" -> "101 (Network is unreachable)";
            case "ECONNABORTED" -> "103 (Software caused connection abort)";
            case "EPROTO" -> "71 (Protocol error)";
            default -> error;
        };
    }
}
