package io.redotrail.observe;

import io.redotrail.report.GroupRuntime;

/** The {@link GroupControlMBean} of one group, over its {@link GroupView}. Thread-safe. */
final class GroupControl implements GroupControlMBean {
    private final GroupView view;
    private final GroupHealthCheck readiness;

    GroupControl(GroupView view, GroupHealthCheck readiness) {
        this.view = view;
        this.readiness = readiness;
    }

    @Override
    public String getGroup() {
        return view.group();
    }

    @Override
    public String getKind() {
        return view.kind();
    }

    @Override
    public String getStatus() {
        Throwable t = view.runtime().abendCause();
        return t == null ? "RUNNING" : "ABENDED: " + (t.getMessage() == null ? t.toString() : t.getMessage());
    }

    @Override
    public boolean isHealthy() {
        return readiness.call().getState() == org.apache.camel.health.HealthCheck.State.UP;
    }

    @Override
    public long getRecords() {
        return view.runtime().stats().records();
    }

    @Override
    public double getLagSeconds() {
        long lag = GroupHealthCheck.currentLagMillis(view.runtime().stats(), System.currentTimeMillis());
        return lag < 0 ? -1 : lag / 1000.0;
    }

    @Override
    public int getOpenTransactions() {
        return "REPLICAT".equals(view.kind()) ? view.apply().openTransactions() : view.cache().openTransactions();
    }

    @Override
    public String status() {
        return send("STATUS");
    }

    @Override
    public String stats() {
        return send("STATS");
    }

    @Override
    public String report() {
        return send("REPORT");
    }

    @Override
    public String showTrans() {
        return send("SHOWTRANS");
    }

    @Override
    public String forceStop() {
        return send("FORCESTOP");
    }

    @Override
    public String send(String command) {
        GroupRuntime rt = view.runtime();
        return rt.process().send(command == null ? "" : command);
    }
}
