package io.redotrail.control.params;

import io.redotrail.checkpoint.ProcessCheckpoint;
import io.redotrail.extract.BoundedRecovery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a primary Extract keeps its Bounded Recovery files ({@code <root>/<GROUP>}, {@link BoundedRecovery#dirOf})
 * and whether stale ones are kept: {@code BR BRDIR d} / {@code BRKEEPSTALEFILES} of its parameter file over the
 * configuration's {@code redotrail.extract.brDir} (default {@code BR}) / {@code redotrail.extract.brKeepStaleFiles},
 * a relative directory taken from the home. The one resolver: the group process ({@code GroupMain}) runs with the
 * directory GGSCI's {@code ALTER EXTRACT g, BEGIN ...} and {@code ETROLLOVER} retire. Immutable.
 */
public record BrFiles(Path root, String group, boolean keepStaleFiles) {
    public static final String DIR_KEY = "redotrail.extract.brDir";
    public static final String KEEP_STALE_KEY = "redotrail.extract.brKeepStaleFiles";

    /** The group's own directory, where its BR checkpoint and object files are. */
    public Path dir() {
        return BoundedRecovery.dirOf(root, group);
    }

    /**
     * {@code group}'s files as its parameter file ({@link GroupParams#fileOf}, when it exists) and {@code config}
     * set them; a parameter file that cannot be read is its {@link ParamException} (file and line), never a guess.
     */
    public static BrFiles of(Path home, String group, ProcessCheckpoint cp, Function<String, String> config) {
        Map<String, String> prm = Files.exists(GroupParams.fileOf(home, group)) ? GroupParams.read(home, group, cp).overrides() : Map.of();
        return of(home, group, prm, config);
    }

    static BrFiles of(Path home, String group, Map<String, String> prm, Function<String, String> config) {
        String dir = prm.containsKey(DIR_KEY) ? prm.get(DIR_KEY) : value(config, DIR_KEY, "BR");
        String keep = prm.containsKey(KEEP_STALE_KEY) ? prm.get(KEEP_STALE_KEY) : value(config, KEEP_STALE_KEY, "false");
        return new BrFiles(home.resolve(dir.trim()).normalize(), group.toUpperCase(java.util.Locale.ROOT), Boolean.parseBoolean(keep.trim()));
    }

    private static String value(Function<String, String> config, String key, String def) {
        String v = config.apply(key);
        return v == null || v.isBlank() ? def : v;
    }
}
