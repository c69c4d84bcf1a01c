package io.redotrail.trail.camel;

import io.redotrail.trail.TrailFormat;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code trail:} component: {@code trail:dirdat/ex?group=EXT1} writes (producer) or reads (consumer) the
 * trail {@code <home>/dirdat/ex000000000...}. {@code home} (default: working directory) also holds
 * {@code dirchk/}.
 */
@Component("trail")
public class TrailComponent extends DefaultComponent {
    @Metadata(defaultValue = ".",
            description = "GoldenGate-style home directory: relative trail paths, dirchk/, dirrpt/ and dirtmp/ are resolved against it")
    private String home = ".";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Path homeDir = Path.of(home).toAbsolutePath().normalize();
        Path p = Path.of(remaining);
        Path trail = (p.isAbsolute() ? p : homeDir.resolve(p)).normalize();
        TrailFormat.checkPrefix(trail);
        Object role = parameters.get("role");
        if (role instanceof String r && java.util.Arrays.stream(TrailRole.values()).noneMatch(v -> v.name().equalsIgnoreCase(r.strip()))) {
            // Camel's own enum message names neither the endpoint nor the values it takes
            throw new IllegalArgumentException("trail endpoint " + uri + ": option role must be EXTRACT (a pump: its trail producer"
                    + " keeps the read checkpoint) or REPLICAT (the default: any other reader): " + r);
        }
        TrailEndpoint endpoint = new TrailEndpoint(uri, this, remaining, trail, homeDir, new TrailConfiguration());
        // the generated TrailEndpointConfigurer sets the options, no reflection
        setProperties(endpoint, parameters);
        endpoint.getConfiguration().validate(uri);
        return endpoint;
    }

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }
}
