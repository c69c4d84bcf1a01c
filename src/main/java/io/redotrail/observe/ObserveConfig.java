package io.redotrail.observe;

/**
 * How a JVM that runs groups shows them ({@link Observability}): the HTTP server of {@code /metrics} and
 * {@code /health} on {@code host}:{@code port} (0: an ephemeral port; -1: no HTTP server), and the lag above which a
 * group's health is DOWN ({@code lagCriticalMillis}, LAGCRITICAL*; -1: lag never makes it DOWN). JMX is always on.
 * Immutable.
 */
public record ObserveConfig(String host, int port, long lagCriticalMillis) {
    /** No HTTP server, no lag rule: JMX only. */
    public static final ObserveConfig JMX_ONLY = new ObserveConfig("127.0.0.1", -1, -1);

    public ObserveConfig {
        if (port < -1 || port > 65535) throw new IllegalArgumentException("HTTP port must be 0..65535 (0: ephemeral) or -1 (off): " + port);
        if (host == null || host.isBlank()) host = "127.0.0.1";
    }

    public boolean http() {
        return port >= 0;
    }
}
