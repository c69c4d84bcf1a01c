package io.redotrail.cli.ggsci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Where a group's parameter file lives: {@code dirprm/<group>.prm}, the group name in lower case as GGSCI writes it;
 * an existing file whose name differs only in case is that file. Stateless.
 */
final class ParamFiles {
    private ParamFiles() {
    }

    static Path of(Path home, String group) {
        Path dir = home.resolve("dirprm");
        String name = group.toLowerCase(Locale.ROOT) + ".prm";
        if (Files.exists(dir.resolve(name)) || !Files.isDirectory(dir)) return dir.resolve(name);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().equalsIgnoreCase(name)).findFirst().orElse(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
