package com.retentionhub.ingress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.conversation.InboundEvent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.TypeConversionException;
import org.apache.camel.support.TypeConverterSupport;
import org.springframework.stereotype.Component;

/**
 * An {@link InboundEvent} as JSON text and back, for a bus that carries text (the kafka profile's
 * topics). On the default SEDA bus the event passes as an object and this is never called.
 */
@Component
public class InboundEventJson {

    public InboundEventJson(CamelContext camel, ObjectMapper json) {
        camel.getTypeConverterRegistry().addTypeConverter(String.class, InboundEvent.class, new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                try {
                    return type.cast(json.writeValueAsString(value));
                } catch (JsonProcessingException e) {
                    throw new TypeConversionException(value, type, e);
                }
            }
        });
        camel.getTypeConverterRegistry().addTypeConverter(InboundEvent.class, String.class, new TypeConverterSupport() {
            @Override
            public <T> T convertTo(Class<T> type, Exchange exchange, Object value) {
                try {
                    return type.cast(json.readValue((String) value, InboundEvent.class));
                } catch (JsonProcessingException e) {
                    throw new TypeConversionException(value, type, e);
                }
            }
        });
    }
}
