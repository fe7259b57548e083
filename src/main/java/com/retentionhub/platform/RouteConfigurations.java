package com.retentionhub.platform;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The hub's error policies. Routes opt in by {@code routeConfigurationId}; none defines its own
 * error handler.
 *
 * <ul>
 *   <li>default (no id): give up at once and persist the exchange as a dead letter;
 *   <li>{@code webhook-inbound}: 4xx with a terse reason for bad input, 500 without internals;
 *   <li>{@code provider-call}: no handler at all, so the dispatcher sees the provider's error and
 *       decides (retry later, reconcile, or give up). Retries are durable outbox state, not
 *       in-memory redelivery, because a Twilio 5xx may already have sent the text.
 * </ul>
 */
@Component
public class RouteConfigurations extends RouteConfigurationBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(RouteConfigurations.class);

    @Override
    public void configuration() {
        routeConfiguration().errorHandler(deadLetterChannel("bean:deadLetters?method=record").maximumRedeliveries(0));

        RouteConfigurationDefinition webhook = routeConfiguration("webhook-inbound");
        webhook.onException(WebhookRejectedException.class).handled(true).process(RouteConfigurations::rejected);
        webhook.onException(TextFields.InvalidText.class).handled(true).process(RouteConfigurations::invalidText);
        webhook.onException(Exception.class).handled(true).to("bean:deadLetters?method=record").process(RouteConfigurations::internalError);

        routeConfiguration("provider-call").errorHandler(noErrorHandler());
    }

    private static void rejected(Exchange exchange) {
        WebhookRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, WebhookRejectedException.class);
        LOG.debug("webhook refused with {}: {}", e.status(), e.getMessage());
        respond(exchange, e.status(), e.getMessage());
    }

    private static void invalidText(Exchange exchange) {
        TextFields.InvalidText e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, TextFields.InvalidText.class);
        LOG.debug("webhook refused: {}", e.getMessage());
        respond(exchange, 400, e.getMessage());
    }

    private static void internalError(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("webhook failed in route {}", exchange.getFromRouteId(), e);
        respond(exchange, 500, "internal error");
    }

    private static void respond(Exchange exchange, int status, String reason) {
        exchange.getMessage().getHeaders().clear();
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getMessage().setBody(reason + "\n");
    }
}
