package io.redotrail.control.manager;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the Manager starts a group (contract 2 of issue 11): {@code <java> -cp <classpath> <mainClass> process
 * <options> GROUP [--atcsn n | --aftercsn n]}, in {@code workDir} (the install directory, so routes/ and config/
 * resolve). {@code options} are the Manager's own {@code --home H [--config C] [--set K=V]...}. Immutable.
 */
public record ChildCommand(String java, String classpath, String mainClass, List<String> options, Path workDir) {
    public static final String MAIN = "io.redotrail.cli.Main";

    public ChildCommand {
        options = List.copyOf(options);
    }

    /** This JVM's java binary and class path, the given main class, the current directory. */
    public static ChildCommand ofThisJvm(String mainClass, List<String> options) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ChildCommand(java, System.getProperty("java.class.path"), mainClass, options,
                Path.of("").toAbsolutePath());
    }

    /** {@code startOption}: empty, or {@code ATCSN n} / {@code AFTERCSN n} of GGSCI's START REPLICAT. */
    public List<String> command(String group, List<String> startOption) {
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", classpath, mainClass, "process"));
        cmd.addAll(options);
        cmd.add(group);
        if (startOption.size() == 2) {
            cmd.add("--" + startOption.get(0).toLowerCase(Locale.ROOT));
            cmd.add(startOption.get(1));
        }
        return cmd;
    }
}
