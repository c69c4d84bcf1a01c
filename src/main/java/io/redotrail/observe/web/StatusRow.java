package io.redotrail.observe.web;

import io.redotrail.checkpoint.CheckpointLag;
import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.report.GroupStatus;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * One line of GGSCI's INFO ALL as JSON for {@code /api/status}: program, status (lock, pid file and checkpoint:
 * {@link GroupStatus}), group, Lag at Chkpt and Time Since Chkpt ({@link CheckpointLag}, the same code INFO ALL
 * runs), the pid of a running group (-1 otherwise) and a checkpoint file that could not be read. Lag and age are
 * -1 with no checkpoint. Immutable.
 */
public record StatusRow(String group, String program, String status, long pid, long lagMillis, String lag,
                        long checkpointAgeMillis, String checkpointAge, String problem) {

    /** INFO ALL's order: extracts (and pumps) first, then replicats, each by name. */
    static final Comparator<GroupRef> ORDER = Comparator.comparing(GroupRef::processType).thenComparing(GroupRef::group);

    public static StatusRow of(Path home, GroupRef g, long now) {
        ProcessCheckpoint cp = g.checkpoint().orElse(null);
        GroupStatus st = GroupStatus.of(home, g.group(), cp);
        if (cp == null) return new StatusRow(g.group(), g.processType(), st.status(), st.pid(), -1, "", -1, "", g.problem());
        long lag = CheckpointLag.lagMillis(cp);
        long age = now - cp.lastUpdateMillis();
        return new StatusRow(g.group(), g.processType(), st.status(), st.pid(), lag, CheckpointLag.hms(lag), age,
                CheckpointLag.hms(age), g.problem());
    }

    public static List<StatusRow> all(Path home, List<GroupRef> groups, long now) {
        return groups.stream().sorted(ORDER).map(g -> of(home, g, now)).toList();
    }

    public boolean running() {
        return "RUNNING".equals(status);
    }
}
