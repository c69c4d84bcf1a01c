package io.redotrail.redo.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code redo:database?group=EXT1}: one extract group's view of a database's redo: emits RedoBatch bodies from the
 * group's Recovery checkpoint on, following log switches into archived logs.
 */
@UriEndpoint(scheme = "redo", syntax = "redo:database", title = "Redo", category = {Category.DATABASE}, consumerOnly = true,
        firstVersion = "0.1.0", headersClass = RedoConstants.class, remote = false)
public class RedoEndpoint extends DefaultEndpoint {
    @UriPath(description = "Source database name (informational: the redo is read from the home's redo/ and arch/)")
    @Metadata(required = true)
    private final String database;
    @UriParam
    private RedoConfiguration configuration;

    public RedoEndpoint(String uri, RedoComponent component, String database, RedoConfiguration configuration) {
        super(uri, component);
        this.database = database;
        this.configuration = configuration;
    }

    public String getDatabase() {
        return database;
    }

    public RedoConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(RedoConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("redo: is consumer only (endpoint " + getEndpointUri() + ")");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        RedoConsumer consumer = new RedoConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
