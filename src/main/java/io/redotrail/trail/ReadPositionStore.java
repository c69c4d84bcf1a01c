package io.redotrail.trail;

public interface ReadPositionStore { java.util.Optional<io.redotrail.core.TrailPosition> startPosition(); }
