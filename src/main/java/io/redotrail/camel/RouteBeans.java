package io.redotrail.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.DelegateProcessor;
import org.apache.camel.Navigate;
import org.apache.camel.Route;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The beans routes run as steps ({@code process: ref}). The routes are made from route templates whose beans are
 * local to each route (Camel binds them under a unique id per route, not in the registry), so a route's bean is
 * found by walking the route's processors. Stateless.
 */
public final class RouteBeans {
    private RouteBeans() {
    }

    /** Route id → the {@code type} bean it runs, for every route of {@code context} that runs one. */
    public static <T> Map<String, T> of(CamelContext context, Class<T> type) {
        Map<String, T> out = new TreeMap<>();
        for (Route r : context.getRoutes()) {
            T bean = find(r, type);
            if (bean != null) out.put(r.getRouteId(), bean);
        }
        return out;
    }

    /** The first {@code type} bean {@code route} runs, or null. */
    public static <T> T find(Route route, Class<T> type) {
        Deque<Object> todo = new ArrayDeque<>(List.of(route.navigate()));
        while (!todo.isEmpty()) {
            Object p = todo.pop();
            if (type.isInstance(p)) return type.cast(p);
            if (p instanceof DelegateProcessor d && d.getProcessor() != null) todo.push(d.getProcessor());
            if (p instanceof Navigate<?> n && n.hasNext()) n.next().forEach(todo::addLast);
        }
        return null;
    }
}
