package io.redotrail.trail.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

import java.nio.file.Path;

/**
 * A GoldenGate-style trail: producer appends whole transactions and checkpoints (extract, pump); consumer reads
 * whole transactions from the group's read checkpoint (pump, Replicat, any sink route).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "trail", title = "GoldenGate-style trail", syntax = "trail:path",
        category = {Category.FILE}, headersClass = TrailConstants.class, remote = false)
public class TrailEndpoint extends DefaultEndpoint {
    @UriPath(description = "Trail path prefix: directory plus two-character name, e.g. dirdat/ex (relative to the"
            + " component's home) or an absolute path")
    @Metadata(required = true)
    private final String path;
    @UriParam
    private TrailConfiguration configuration;
    private final Path trail;
    private final Path home;

    TrailEndpoint(String uri, TrailComponent component, String path, Path trail, Path home, TrailConfiguration configuration) {
        super(uri, component);
        this.path = path;
        this.trail = trail;
        this.home = home;
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new TrailProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TrailConsumer c = new TrailConsumer(this, processor);
        configureConsumer(c);
        return c;
    }

    public String getPath() {
        return path;
    }

    public Path trail() {
        return trail;
    }

    public Path home() {
        return home;
    }

    public TrailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(TrailConfiguration configuration) {
        this.configuration = configuration;
    }
}
