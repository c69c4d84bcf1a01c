package io.redotrail.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.redotrail.it.ItSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What the observability tests do to a running JVM as Prometheus or a probe would: HTTP GETs on loopback, sums of
 * {@code redotrail_records_total}, and the target's user tables a test locks to hold a Replicat back. Stateless
 * apart from its HTTP client.
 */
public final class Scrape {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Duration timeout;

    /** {@code timeout}: how long {@link #awaitMetrics} waits for its condition. */
    public Scrape(Duration timeout) {
        this.timeout = timeout;
    }

    /** GET {@code path} on loopback {@code port}, asserting the HTTP status: the body. */
    public String get(int port, String path, int expectStatus) throws Exception {
        HttpResponse<String> r = http.send(request(port, path), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectStatus, r.statusCode(), path + ": " + r.body());
        return r.body();
    }

    /** The HTTP status of GET {@code path}, -1 when nothing answers (a JVM not listening yet, or gone). */
    public int status(int port, String path) {
        try {
            return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Scrapes {@code /metrics} until {@code condition} holds: the body that satisfied it. */
    public String awaitMetrics(int port, String what, Predicate<String> condition) {
        String[] body = {""};
        await(what + " at /metrics", timeout, () -> {
            try {
                body[0] = get(port, "/metrics", 200);
            } catch (Exception e) {
                return false;
            }
            return condition.test(body[0]);
        }, () -> body[0]);
        return body[0];
    }

    /** Scrapes until {@code group}'s row operations reach {@code atLeast}. */
    public String awaitRecords(int port, String group, double atLeast) {
        return awaitMetrics(port, group + " records >= " + atLeast, b -> records(b, group) >= atLeast);
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(20)).build();
    }

    /** Row operations (inserts, updates, deletes) of every table of {@code group}. */
    public static double records(String metrics, String group) {
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("redotrail_records_total{") && line.contains("group=\"" + group + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** The target's user tables (not the catalogs, not GGADMIN's), quoted for SQL. */
    /**
     * Holds every Replicat on {@code lock}'s database at its next commit: an EXCLUSIVE lock on the checkpoint table,
     * which each Replicat transaction updates. One table only: locking the user tables one by one deadlocks with a
     * Replicat transaction that holds one of them and waits for the next (PostgreSQL then kills one side).
     * {@code lock} must not be in auto-commit; its rollback lets the Replicat go on.
     */
    public static void holdReplicats(Connection lock) throws Exception {
        String table = null;
        try (ResultSet rs = lock.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                if (rs.getString("TABLE_SCHEM").equalsIgnoreCase("ggadmin") && rs.getString("TABLE_NAME").equalsIgnoreCase("checkpoint")) {
                    table = "\"" + rs.getString("TABLE_SCHEM") + "\".\"" + rs.getString("TABLE_NAME") + "\"";
                }
            }
        }
        assertFalse(table == null, "no checkpoint table GGADMIN.CHECKPOINT on the target");
        try (java.sql.Statement st = lock.createStatement()) {
            st.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
        }
    }

    public static List<String> userTables(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema.startsWith("pg_") || schema.equals("information_schema") || schema.equalsIgnoreCase("ggadmin")) continue;
                out.add("\"" + schema + "\".\"" + rs.getString("TABLE_NAME") + "\"");
            }
        }
        assertFalse(out.isEmpty(), "no target tables");
        return out;
    }
}
