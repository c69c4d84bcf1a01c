package io.redotrail.control.manager;

import io.redotrail.runtime.Settings;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the Manager starts a group (contract 2 of issue 11): {@code <java> -cp <classpath> <mainClass> process
 * <options> GROUP [--atcsn n | --aftercsn n]}, in {@code workDir} (the install directory, so routes/ and config/
 * resolve). {@code options} are the Manager's own {@code --home H [--config C] [--set-file F]}: its overrides
 * travel in a file ({@link ChildOverrides}), never on the command line. Immutable.
 */
public record ChildCommand(String java, List<String> jvmOptions, String classpath, String mainClass, List<String> options,
                           Path workDir) {
    public static final String MAIN = "io.redotrail.cli.Main";

    public ChildCommand {
        jvmOptions = List.copyOf(jvmOptions);
        options = List.copyOf(options);
    }

    /**
     * This JVM's java binary, class path and memory / system-property options ({@code -Xmx2g} of bin/redotrail,
     * REDOTRAIL_JAVA_OPTS: the groups get what {@code run} would have; agents and debugger options are not passed,
     * a second debugger on the same port would fail), the given main class, the current directory.
     */
    public static ChildCommand ofThisJvm(String mainClass, List<String> options) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> (a.startsWith("-X") || a.startsWith("-D")) && !a.startsWith("-Xdebug") && !a.startsWith("-Xrun"))
                .filter(a -> !configProperty(a))
                .toList();
        return new ChildCommand(java, jvm, System.getProperty("java.class.path"), mainClass, options,
                Path.of("").toAbsolutePath());
    }

    /**
     * {@code -Dredotrail.K=V} setting a configuration key: not copied, a value may be a password and a command line
     * is public ({@code ps}); the Manager hands the keys over in {@link ChildOverrides}' file.
     */
    public static boolean configProperty(String jvmOption) {
        if (!jvmOption.startsWith("-D")) return false;
        int eq = jvmOption.indexOf('=');
        return Settings.configProperty(eq < 0 ? jvmOption.substring(2) : jvmOption.substring(2, eq));
    }

    /**
     * {@code <java> <jvm options> -cp <classpath> <mainClass> <args>}: another command of the same install, e.g.
     * {@code mgr} for GGSCI's START MANAGER. The list is mutable, for the caller's options.
     */
    public List<String> main(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classpath, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code startOption}: empty, or {@code ATCSN n} / {@code AFTERCSN n} of GGSCI's START REPLICAT. */
    public List<String> command(String group, List<String> startOption) {
        List<String> cmd = main("process");
        cmd.addAll(options);
        cmd.add(group);
        if (startOption.size() == 2) {
            cmd.add("--" + startOption.get(0).toLowerCase(Locale.ROOT));
            cmd.add(startOption.get(1));
        }
        return cmd;
    }
}
