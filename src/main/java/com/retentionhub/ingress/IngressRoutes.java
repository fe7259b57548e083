package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The HTTP paths providers are given. Older systems gave Twilio several paths for the same webhook,
 * so each configured path is a thin route into the one YAML route that does the work.
 */
@Component
public class IngressRoutes extends RouteBuilder {

    private final HubProperties properties;

    public IngressRoutes(HubProperties properties) {
        this.properties = properties;
    }

    @Override
    public void configure() {
        properties.ingress().smsPaths().forEach(path -> expose(path, "direct:ingress-twilio-sms"));
        properties.ingress().statusPaths().forEach(path -> expose(path, "direct:ingress-twilio-status"));
    }

    private void expose(String path, String target) {
        from("platform-http:" + path + "?httpMethodRestrict=POST")
                .routeId("http" + path.replace('/', '-'))
                .routeDescription("POST " + path + " -> " + target)
                .to(target);
    }
}
