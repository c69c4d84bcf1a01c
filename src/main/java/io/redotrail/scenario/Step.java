package io.redotrail.scenario;

import io.redotrail.sim.TableDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** One parsed line of a scenario script: where it is, its text and the command. Immutable. */
public record Step(Path file, int line, String text, Cmd cmd) {

    /** {@code file:line} for messages. */
    public String where() {
        return file + ":" + line;
    }

    /** A literal value as written in a script: a number, a quoted string, NULL or a word such as {@code now}. */
    public record Literal(Kind kind, String text) {
        public enum Kind { NUMBER, STRING, NULL, WORD }

        @Override
        public String toString() {
            return switch (kind) {
                case STRING -> "'" + text.replace("'", "''") + "'";
                case NULL -> "NULL";
                default -> text;
            };
        }
    }

    /** The commands of script format version 1 (see docs/scenarios.md). */
    public sealed interface Cmd {
    }

    /** {@code set KEY = VALUE}: configuration override for the runner and every process it starts. */
    public record Set(String key, String value) implements Cmd { }

    /** {@code create table OWNER.T (...)}: on the source; the target's tables come from {@link TargetCreate}. */
    public record CreateTable(TableDef table) implements Cmd { }

    public record Begin(String tx, int thread) implements Cmd { }

    public record InsertRow(String tx, String table, Map<String, Literal> values) implements Cmd { }

    public record InsertRows(String tx, String table, long rows) implements Cmd { }

    public record Update(String tx, String table, Map<String, Literal> set, Map<String, Literal> where) implements Cmd { }

    public record Delete(String tx, String table, Map<String, Literal> where) implements Cmd { }

    public record Commit(String tx) implements Cmd { }

    public record Rollback(String tx) implements Cmd { }

    /** {@code switch logfile [thread N]}; thread null = every thread. */
    public record SwitchLog(Integer thread) implements Cmd { }

    /**
     * {@code archive delete sequence N|of TX [thread T] [force]}: exactly one of sequence and ofTx; {@code force}
     * deletes a log an Extract still needs (else refused, RMAN-08137).
     */
    public record ArchiveDelete(Long sequence, String ofTx, Integer thread, boolean force) implements Cmd { }

    public record ClockAdvance(Duration by) implements Cmd { }

    /** {@code extract|pump|replicat|pipeline start|stop|kill|restart}. */
    public record Process(String name, String action) implements Cmd { }

    public record WaitReplicated(Duration timeout) implements Cmd { }

    /** {@code wait trail PREFIX files N [timeout D]}: at least N trail files exist. */
    public record WaitTrailFiles(String prefix, int files, Duration timeout) implements Cmd { }

    public record AssertEqual() implements Cmd { }

    /** {@code assert trail PREFIX csn order}: CSNs strictly increase through the trail's files. */
    public record AssertTrailOrder(String prefix) implements Cmd { }

    /** {@code assert target rows OWNER.TABLE = N}: e.g. nothing after an abend was applied. */
    public record AssertTargetRows(String table, long rows) implements Cmd { }

    /**
     * {@code assert target OWNER.TABLE where K=v [and K2=v] has C=v[, C2=v]}: the target row with that key has
     * those values (numbers compared by value). Table and column names are the target's.
     */
    public record AssertTargetValues(String table, Map<String, Literal> where, Map<String, Literal> expected) implements Cmd { }

    /**
     * {@code target create}: the configured target's tables from the source's, as the configured MAP maps them
     * ({@code bin/redotrail target create}); a table that exists is left as it is.
     */
    public record TargetCreate() implements Cmd { }

    public record ExpectAbend(String text, Duration within) implements Cmd { }

    /** The steps that drive the control plane (GGSCI, the Manager, parameter files): run against child JVMs only. */
    public sealed interface ControlCmd extends Cmd {
    }

    /**
     * {@code ggsci "COMMAND" [prints "TEXT"]}: {@code bin/redotrail ggsci COMMAND} against the home; exit status 0
     * and, with {@code prints}, TEXT in its output (blank runs compared as one blank). {@code prints} null: none.
     */
    public record Ggsci(String command, String prints) implements ControlCmd { }

    /** {@code wait ggsci "COMMAND" prints "TEXT" [timeout D]}: repeats the command until its output contains TEXT. */
    public record WaitGgsci(String command, String prints, Duration timeout) implements ControlCmd { }

    /**
     * {@code param NAME} ... {@code end param}: writes the lines between (verbatim) as {@code dirprm/NAME.prm} of
     * the home, as GGSCI's EDIT PARAMS would.
     */
    public record Param(String name, java.util.List<String> lines) implements ControlCmd { }

    public record Sleep(Duration duration) implements Cmd { }

    /** {@code simulate N transactions [seed S]}: the workload generator on the demo tables, through the same redo. */
    public record Simulate(int transactions, long seed) implements Cmd { }
}
