package io.redotrail.control.params;

import java.nio.file.Path;
import java.util.Locale;

/**
 * One statement of a parameter file: its name upper-cased ({@code TABLE}), the rest as written with comments,
 * continuation marks and the closing {@code ;} removed ({@code YDJK.*}), and where it starts.
 */
public record Param(String name, String value, Path file, int line) {
    public Param {
        name = name.toUpperCase(Locale.ROOT);
        value = value.strip();
    }

    /** Is this the parameter {@code n} (case-insensitive)? */
    public boolean is(String n) {
        return name.equalsIgnoreCase(n);
    }

    /** A {@link ParamException} naming this statement's file and line. */
    public ParamException error(String message) {
        return new ParamException(file, line, name + " " + value + ": " + message);
    }

    /** The statement as the report echoes it. */
    public String text() {
        return value.isEmpty() ? name : name + " " + value;
    }
}
