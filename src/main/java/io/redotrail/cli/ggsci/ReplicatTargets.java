package io.redotrail.cli.ggsci;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.control.group.ReplicatTarget;
import io.redotrail.control.params.ParamException;

/**
 * GGSCI's way to the checkpoint table and target database of a Replicat: {@link ReplicatTarget}, the resolver its
 * group process runs with (table of its definition, login of its parameter file's USERIDALIAS), so DELETE / ALTER /
 * INFO REPLICAT act on the row the Replicat reads. Stateless.
 */
final class ReplicatTargets {
    private ReplicatTargets() {
    }

    /** The target of Replicat {@code group} defined by {@code cp} (null: not defined); a bad parameter file is a GGSCI error. */
    static ReplicatTarget of(GgsciContext ctx, String group, ProcessCheckpoint cp) {
        try {
            return ReplicatTarget.of(ctx.home(), group, cp, k -> ctx.config(k, null));
        } catch (ParamException e) {
            throw new GgsciException("cannot resolve the checkpoint table and target login of REPLICAT " + group + ": " + e.getMessage());
        }
    }
}
