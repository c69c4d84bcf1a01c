package io.redotrail.runtime;

import io.redotrail.core.Abends;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;


/**
 * The whole route bundle (extract, pump, replicat) running in one Camel Main, with routes loaded from disk
 * ({@code camel.main.routes-include-pattern}, default {@code file:routes/*.yaml}) and properties from the
 * user's configuration file, {@code redotrail.home} overridden by {@code --home}. Editing a route needs a
 * restart, not a rebuild. {@link #start} takes the locks of the routes' groups first ({@link GroupLocks}) and
 * {@link #close} releases them. Not thread-safe.
 */
public final class Pipeline implements AutoCloseable {
    private final Main main;
    private final GroupLocks locks;

    private Pipeline(Main main, GroupLocks locks) {
        this.main = main;
        this.locks = locks;
    }

    /** Creates the Camel Main without starting it. */
    public static Main create(Settings settings) {
        ConfigCheck.validate(settings);
        RoutesPattern.require(settings);
        Main main = new Main();
        main.setPropertyPlaceholderLocations("file:" + settings.file().toAbsolutePath());
        settings.overrides().forEach(main::addOverrideProperty);
        main.addOverrideProperty("redotrail.home", settings.home().toString());
        return main;
    }

    public static Pipeline start(Settings settings) {
        return start(settings, null);
    }

    /** Starts only the routes matching {@code routesPattern} (e.g. {@code file:routes/extract.yaml}); null = all. */
    public static Pipeline start(Settings settings, String routesPattern) {
        Main main = create(settings);
        if (routesPattern != null) main.addOverrideProperty("camel.main.routes-include-pattern", routesPattern);
        GroupLocks locks = GroupLocks.take(settings, routesPattern);
        try {
            main.start();
        } catch (Exception e) {
            locks.close();
            throw new IllegalStateException("pipeline failed to start: " + rootMessage(e), e);
        }
        return new Pipeline(main, locks);
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public <T> T bean(String name, Class<T> type) {
        T b = context().getRegistry().lookupByNameAndType(name, type);
        if (b == null) throw new IllegalStateException("routes define no bean '" + name + "' of type " + type.getName());
        return b;
    }

    public boolean abended() {
        return !Abends.all().isEmpty();
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            throw new IllegalStateException("pipeline failed to stop cleanly: " + rootMessage(e), e);
        } finally {
            locks.close();
        }
    }

    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " / caused by " + t;
    }
}
