package io.redotrail.redo.camel;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

import java.util.Map;

/** The {@code redo:} component: consumes simulated Oracle redo of the database under {@code home}. */
@org.apache.camel.spi.annotations.Component("redo")
public class RedoComponent extends DefaultComponent {
    @Metadata(description = "Default runtime home directory for endpoints that do not set one (redo/, arch/, dirchk/, dirrpt/ under it)")
    private String home;

    public String getHome() {
        return home;
    }

    public void setHome(String home) {
        this.home = home;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RedoConfiguration conf = new RedoConfiguration();
        conf.setHome(home);
        RedoEndpoint endpoint = new RedoEndpoint(uri, this, remaining, conf);
        // the generated RedoEndpointConfigurer sets the options, no reflection
        setProperties(endpoint, parameters);
        conf.validate();
        return endpoint;
    }
}
