package com.retentionhub.platform;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * The outward feeds, present only when configured (the kafka profile sets both):
 * {@code platform-publish-events} carries {@link BusinessEvents}' batches to {@code hub.bus.events},
 * {@code platform-publish-dead-letters} copies each new dead letter to {@code hub.bus.dead-letters}.
 * Both run without an error handler, so a broker failure reaches the caller, which decides: business
 * events retry, a dead letter's copy is logged and skipped (the letter itself is in the database).
 */
@Component
public class PublishRoutes extends RouteBuilder {

    static final String DEAD_LETTERS_INPUT = "direct:hub-dead-letters";

    private final HubProperties.Bus bus;

    public PublishRoutes(HubProperties properties) {
        this.bus = properties.bus();
    }

    @Override
    public void configure() {
        if (configured(bus.events())) {
            from(BusinessEvents.ROUTE_INPUT).routeId("platform-publish-events").routeConfigurationId("provider-call")
                    .routeDescription("business events to " + topic(bus.events())).to(bus.events());
        }
        if (configured(bus.deadLetters())) {
            from(DEAD_LETTERS_INPUT).routeId("platform-publish-dead-letters").routeConfigurationId("provider-call")
                    .routeDescription("dead letters to " + topic(bus.deadLetters())).to(bus.deadLetters());
        }
    }

    static boolean configured(String uri) {
        return uri != null && !uri.isBlank();
    }

    /** The endpoint without its query, which may carry credentials. */
    private static String topic(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
