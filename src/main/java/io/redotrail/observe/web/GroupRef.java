package io.redotrail.observe.web;

import io.redotrail.checkpoint.ProcessCheckpoint;

import java.util.Optional;

/**
 * One group the live page shows, as its home defines it: name, EXTRACT or REPLICAT, its checkpoint (empty when
 * never written) and why the checkpoint file could not be read (null when it could). The Manager makes these from
 * its {@code GroupDefs}; kept here so the page knows nothing of the control plane. Immutable.
 */
public record GroupRef(String group, String processType, Optional<ProcessCheckpoint> checkpoint, String problem) {
}
