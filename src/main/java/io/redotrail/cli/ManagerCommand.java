package io.redotrail.cli;

import io.redotrail.control.manager.ChildCommand;
import io.redotrail.control.manager.ChildOverrides;
import io.redotrail.control.manager.Manager;
import io.redotrail.control.manager.MgrParams;
import io.redotrail.control.params.ParamException;
import io.redotrail.runtime.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mgr}: the Manager of a home in the foreground (docs/operations.md) until SIGTERM/Ctrl-C or GGSCI's STOP
 * MANAGER, which stop the groups it started gracefully and then the Manager; exit 0. A Manager that cannot start
 * (bad dirprm/mgr.prm, another Manager on the home, port in use) exits 2 with the reason, nothing started. Signals
 * are handled here as in {@code run} (not by a shutdown hook), so the children are stopped before the JVM exits.
 */
@Command(name = "mgr", description = {"Run the Manager of a home (dirprm/mgr.prm): starts, stops and watches the groups,",
        "AUTOSTART, AUTORESTART, PURGEOLDEXTRACTS, lag warnings, ggserr.log; until SIGTERM/Ctrl-C (graceful)."})
final class ManagerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "how long STOP and the Manager's own stop wait for a group after SIGTERM before giving up / KILL (default: ${DEFAULT-VALUE})")
    long stopTimeoutSeconds;

    /** For tests whose child is not under test: the class run as {@code <class> process ...} instead of Main. */
    @Option(names = "--child-main", hidden = true, defaultValue = ChildCommand.MAIN)
    String childMain;

    @Override
    public Integer call() throws Exception {
        Settings settings = common.load();
        Path home = settings.home();
        MgrParams params;
        try {
            params = MgrParams.read(home);
        } catch (ParamException e) {
            System.err.println("redotrail: Manager not started: " + e.getMessage());
            return 2;
        }
        Manager mgr = new Manager(home, params, ChildCommand.ofThisJvm(childMain, childOptions()),
                Duration.ofSeconds(stopTimeoutSeconds));
        try {
            mgr.start();
        } catch (Manager.StartException e) {
            System.err.println("redotrail: Manager not started: " + e.getMessage());
            return 2;
        }
        for (String name : new String[]{"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> {
                    System.out.println("redotrail: SIG" + sig.getName() + " received, Manager stopping its groups gracefully");
                    mgr.requestStop();
                });
            } catch (IllegalArgumentException e) {
                // the platform lacks the signal: STOP MANAGER still stops us
            }
        }
        System.out.println("redotrail: Manager running with home " + home + ", port " + mgr.port()
                + (mgr.httpPort() < 0 ? "" : ", live page http://" + params.listenAddress() + ":" + mgr.httpPort() + "/") + " (SIGTERM stops gracefully)");
        try {
            mgr.awaitStopRequest();
        } finally {
            mgr.stop();
        }
        System.out.println("redotrail: Manager stopped");
        return 0;
    }

    /**
     * The Manager's own {@code --home --config}, and its {@code --set} and {@code -Dredotrail.*} overrides as
     * {@code --set-file dirtmp/MGR.overrides} (owner-only, {@link ChildOverrides}): a child reads the same
     * configuration, and no value (a password) shows on its command line.
     */
    List<String> childOptions() {
        Path home = common.load().home();
        List<String> o = new ArrayList<>(List.of("--home", home.toString(), "--config", common.config.toAbsolutePath().normalize().toString()));
        Map<String, String> overrides = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(Settings::configProperty).sorted()
                .forEach(k -> overrides.put(k, System.getProperty(k)));
        overrides.putAll(common.setFileOverrides()); // START MANAGER hands GGSCI's --set over in one
        overrides.putAll(common.set);
        if (!overrides.isEmpty()) {
            o.add("--set-file");
            o.add(ChildOverrides.write(home, overrides).toString());
        }
        return o;
    }
}
