package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.retentionhub.support.EventSchema;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The published event schema refuses what a consumer could not rely on: the validator the Kafka tests check real events with. */
class EventSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAcceptAnEventAsTheHubPublishesIt() {
        assertThat(EventSchema.violations(received())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no id", "unknown type", "phone not E.164", "occurredAt not a date-time", "undocumented envelope field",
            "data missing a field its type requires", "undocumented data field", "data field of the wrong type", "intent not listed"})
    void shouldRefuseAnEventThatBreaksTheSchema(String breakage) {
        ObjectNode event = received();
        Consumer<ObjectNode> change = switch (breakage) {
            case "no id" -> e -> e.remove("id");
            case "unknown type" -> e -> e.put("type", "message.teleported");
            case "phone not E.164" -> e -> e.put("phone", "4155550100");
            case "occurredAt not a date-time" -> e -> e.put("occurredAt", "yesterday");
            case "undocumented envelope field" -> e -> e.put("tenant", "acme");
            case "data missing a field its type requires" -> e -> ((ObjectNode) e.get("data")).remove("messageSid");
            case "undocumented data field" -> e -> ((ObjectNode) e.get("data")).put("mood", "cheerful");
            case "data field of the wrong type" -> e -> ((ObjectNode) e.get("data")).put("conversationId", "seven");
            case "intent not listed" -> e -> ((ObjectNode) e.get("data")).put("intent", "gossip");
            default -> throw new IllegalArgumentException(breakage);
        };
        change.accept(event);

        assertThat(EventSchema.violations(event)).as(breakage).isNotEmpty();
    }

    @Test
    void shouldCheckDataAgainstItsOwnTypeNotAnother() {
        ObjectNode event = received();
        event.put("type", "consent.opted_out"); // message.received's data lacks consent.opted_out's source

        assertThat(EventSchema.violations(event)).isNotEmpty();
    }

    private static ObjectNode received() {
        try {
            return (ObjectNode) JSON.readTree(
                    """
                    {"id":"message.received:twilio:SM0123","type":"message.received","occurredAt":"2026-11-21T10:15:30.123Z",
                     "phone":"+14155550100","channel":"sms","data":{"inboundEventId":7,"messageSid":"SM0123","provider":"twilio",
                     "conversationId":3,"text":"How much is a termite inspection?","intent":"pricing","receivedAt":"2026-11-21T10:15:30Z"}}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
