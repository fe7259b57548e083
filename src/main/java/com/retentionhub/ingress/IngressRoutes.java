package com.retentionhub.ingress;

import com.retentionhub.platform.HubProperties;
import java.util.List;
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
        // Meta's handshake is a GET; /api/webhooks/meta is the path the systems this hub replaces gave Meta.
        List.of("/webhooks/meta", "/api/webhooks/meta").forEach(path -> expose(path, "GET,POST", "direct:ingress-meta"));
        // Keitaro sends postbacks as GET or POST; /api/webhooks/keitaro is the older systems' path.
        List.of("/webhooks/keitaro", "/api/webhooks/keitaro").forEach(path -> expose(path, "GET,POST", "direct:ingress-keitaro"));
    }

    private void expose(String path, String target) {
        expose(path, "POST", target);
    }

    private void expose(String path, String methods, String target) {
        from("platform-http:" + path + "?httpMethodRestrict=" + methods)
                .routeId("http" + path.replace('/', '-'))
                .routeDescription(methods + " " + path + " -> " + target)
                .to(target);
    }
}
