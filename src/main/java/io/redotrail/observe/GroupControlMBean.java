package io.redotrail.observe;

/**
 * JMX view of one group ({@code io.redotrail:type=Group,context=<camel context>,name=<GROUP>}): its status, STATS
 * counters and lag as attributes, and the SEND commands as operations, answered by the same code as
 * {@code ggsci "send <group>, <command>"} (the group's control handlers).
 */
public interface GroupControlMBean {
    String getGroup();

    String getKind();

    /** RUNNING or ABENDED (with its cause). */
    String getStatus();

    /** Whether the readiness health check is UP now. */
    boolean isHealthy();

    long getRecords();

    /** Lag now in seconds ({@link GroupHealthCheck#currentLagMillis}); -1: no record processed since start. */
    double getLagSeconds();

    int getOpenTransactions();

    /** {@code SEND <group>, STATUS}. */
    String status();

    /** {@code SEND <group>, STATS} (all windows). */
    String stats();

    /** {@code SEND <group>, REPORT}: the statistics into the report file. */
    String report();

    /** {@code SEND <group>, SHOWTRANS} (an extract). */
    String showTrans();

    /** {@code SEND <group>, FORCESTOP}: the JVM halts shortly after replying. */
    String forceStop();

    /** Any SEND command line, e.g. {@code SKIPTRANS 10.16.1533 FORCE} or {@code STATS TABLE HR.EMP}. */
    String send(String command);
}
