package io.redotrail.camel;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.ModelLifecycleStrategySupport;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.ContextServicePlugin;
import org.apache.camel.support.LifecycleStrategySupport;

import java.util.Map;

/**
 * Gives route templates a {@code startupOrder} parameter. Camel's {@code startupOrder} is an integer in the route
 * model and takes no placeholder, yet every route needs its own value (Camel refuses two routes with the same
 * one), so a template that hard-coded it could be instantiated only once. A route created from a template
 * ({@code templatedRoute}) with a {@code startupOrder} parameter gets that value, placeholders resolved, as its
 * startup order before its route is created. Loaded into every CamelContext through
 * {@code META-INF/services/org.apache.camel.spi.ContextServicePlugin}, so Camel Main, camel-test-main-junit5
 * and a plain DefaultCamelContext all honour it.
 */
public final class StartupOrderParameter implements ContextServicePlugin {
    /** The template parameter's name. */
    public static final String PARAMETER = "startupOrder";

    @Override
    public void load(CamelContext camelContext) {
        // plugins load while the context is constructed, before its route model exists: act when it initializes,
        // after the routes were added and before they are created (routes added later: the model strategy)
        camelContext.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextInitializing(CamelContext context) {
                Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
                if (model == null) return; // no route model, no templates
                model.getRouteDefinitions().forEach(r -> apply(context, r));
                model.addModelLifecycleStrategy(new ModelLifecycleStrategySupport() {
                    @Override
                    public void onAddRouteDefinition(RouteDefinition route) {
                        apply(context, route);
                    }
                });
            }
        });
    }

    static void apply(CamelContext context, RouteDefinition route) {
        Map<String, Object> params = route.getTemplateParameters();
        if (params == null || params.get(PARAMETER) == null) return;
        String raw = String.valueOf(params.get(PARAMETER));
        String value = context.resolvePropertyPlaceholders(raw).strip();
        try {
            route.setStartupOrder(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("route " + route.getRouteId() + ": template parameter " + PARAMETER + " = '"
                    + raw + "'" + (raw.equals(value) ? "" : " ('" + value + "')") + " is not an integer");
        }
    }
}
