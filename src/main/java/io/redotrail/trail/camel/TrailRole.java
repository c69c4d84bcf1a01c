package io.redotrail.trail.camel;

/**
 * What a {@code trail:} consumer is part of, which decides where its read checkpoint lives. EXTRACT (a pump): the
 * trail producer downstream writes it with the write checkpoint in {@code dirchk/<GROUP>.cpe}. REPLICAT (any
 * other reader: the Replicat, a custom sink route): the {@code positionStore} bean keeps it when given, else the
 * consumer writes {@code dirchk/<GROUP>.cpr} itself after each exchange the route completed.
 */
public enum TrailRole {
    EXTRACT,
    REPLICAT
}
