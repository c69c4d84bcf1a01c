package io.redotrail.trail.camel;

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
    @Metadata(description = "GoldenGate-style home directory: relative trail paths and dirchk/ are resolved against it")
    private String home = ".";

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TrailConfiguration config = new TrailConfiguration();
        setProperties(config, parameters);
        if (config.getGroup() == null || config.getGroup().isBlank()) {
            throw new IllegalArgumentException("trail endpoint " + uri + " needs option group");
        }
        Path homeDir = Path.of(home).toAbsolutePath().normalize();
        Path p = Path.of(remaining);
        Path trail = (p.isAbsolute() ? p : homeDir.resolve(p)).normalize();
        io.redotrail.trail.TrailFormat.checkPrefix(trail);
        return new TrailEndpoint(uri, this, remaining, trail, homeDir, config);
    }

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }
}
