package io.redotrail.report;

import org.apache.camel.CamelContext;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * The runtime state of every group that runs in one CamelContext ({@link GroupRuntime}: abend, trail progress,
 * process status, report file), bound once in the context's registry as {@value #REGISTRY_NAME} and created on
 * first use ({@link #of}). Components, consumers, producers and beans reach it through their own CamelContext,
 * so two contexts in one JVM never see each other's state, and a fresh context starts with none. The command
 * line reads abends from here ({@link #abends}, {@link #onAbend}). Thread-safe.
 */
public final class GroupRuntimes {
    /** The registry name of a context's group runtimes (a user route may reach it as {@code #redotrailGroupRuntimes}). */
    public static final String REGISTRY_NAME = "redotrailGroupRuntimes";

    private final ConcurrentMap<String, GroupRuntime> groups = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, Throwable>> listeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<java.util.function.Consumer<GroupRuntime>> created = new CopyOnWriteArrayList<>();

    private GroupRuntimes() {
    }

    /** The context's group runtimes, bound in its registry on first use. */
    public static GroupRuntimes of(CamelContext context) {
        Objects.requireNonNull(context, "group runtime state needs the CamelContext the group runs in (none was set)");
        GroupRuntimes bound = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, GroupRuntimes.class);
        if (bound != null) return bound;
        // the registry has no bind-if-absent: two first users of one context must bind the same holder, so they
        // bind under that context's monitor (contexts never wait for each other)
        synchronized (context) {
            GroupRuntimes r = context.getRegistry().lookupByNameAndType(REGISTRY_NAME, GroupRuntimes.class);
            if (r == null) {
                r = new GroupRuntimes();
                context.getRegistry().bind(REGISTRY_NAME, GroupRuntimes.class, r);
            }
            return r;
        }
    }

    /** Shortcut for {@code of(context).group(home, group)}. */
    public static GroupRuntime of(CamelContext context, Path home, String group) {
        return of(context).group(home, group);
    }

    /**
     * The group's runtime, created on first use with {@code home}. A group is one set of checkpoint and report
     * files: a second home for the same group in one context is a configuration error, refused naming both.
     */
    public GroupRuntime group(Path home, String group) {
        String g = group.toUpperCase(Locale.ROOT);
        Path h = home.toAbsolutePath().normalize();
        GroupRuntime rt = groups.get(g);
        if (rt == null) {
            boolean[] made = {false};
            rt = groups.computeIfAbsent(g, k -> {
                made[0] = true;
                return new GroupRuntime(this, h, k);
            });
            if (made[0]) for (java.util.function.Consumer<GroupRuntime> l : created) l.accept(rt);
        }
        if (!rt.home().equals(h)) {
            throw new IllegalStateException("group " + g + " is used with two homes in one CamelContext: " + rt.home()
                    + " and " + h + "; each group has one home (its dirchk/, dirrpt/ and trails)");
        }
        return rt;
    }

    /** The group's runtime if something of the group has run in this context. */
    public Optional<GroupRuntime> find(String group) {
        return Optional.ofNullable(groups.get(group.toUpperCase(Locale.ROOT)));
    }

    /**
     * Called with every group runtime there is and, from now on, with each one made (metrics, health checks and
     * MBeans of the groups that run in this context: {@code io.redotrail.observe}). A listener must be quick.
     */
    public void onGroup(java.util.function.Consumer<GroupRuntime> listener) {
        created.add(listener);
        groups.values().forEach(listener);
    }

    /** Group → the first cause it abended with, for the groups of this context that abended. */
    public Map<String, Throwable> abends() {
        Map<String, Throwable> out = new TreeMap<>();
        groups.forEach((g, rt) -> {
            Throwable t = rt.abendCause();
            if (t != null) out.put(g, t);
        });
        return out;
    }

    /** Called once per group that abends in this context (the command line stops and exits 1). */
    public void onAbend(BiConsumer<String, Throwable> listener) {
        listeners.add(listener);
    }

    void abended(String group, Throwable cause) {
        for (BiConsumer<String, Throwable> l : listeners) l.accept(group, cause);
    }
}
