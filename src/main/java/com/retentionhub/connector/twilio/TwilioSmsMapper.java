package com.retentionhub.connector.twilio;

import com.retentionhub.dispatch.Receipt;
import com.retentionhub.dispatch.SmsCommand;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.net.URI;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Maps the SMS sink contract to camel-twilio's {@code message/create} and back. No I/O. SECURITY:
 * all headers are replaced, so nothing from an upstream message reaches the provider call.
 */
@Component("twilioSmsMapper")
public class TwilioSmsMapper {

    static final String PREFIX = "CamelTwilio.";

    public void toCreateRequest(Exchange exchange, String from, String messagingServiceSid) {
        SmsCommand command = exchange.getMessage().getBody(SmsCommand.class);
        if (command == null) {
            throw new IllegalArgumentException("twilio-sms-sink expects an SmsCommand body");
        }
        var headers = exchange.getMessage().getHeaders();
        headers.clear();
        headers.put(PREFIX + "to", new PhoneNumber(command.to()));
        headers.put(PREFIX + "body", command.body());
        if (command.from() != null && !command.from().isBlank()) {
            headers.put(PREFIX + "from", new PhoneNumber(command.from()));
        } else if (messagingServiceSid != null && !messagingServiceSid.isBlank()) {
            headers.put(PREFIX + "messagingServiceSid", messagingServiceSid);
        } else if (from != null && !from.isBlank()) {
            headers.put(PREFIX + "from", new PhoneNumber(from));
        } else {
            throw new IllegalStateException("twilio-sms-sink needs TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID");
        }
        if (command.statusCallbackUrl() != null) {
            headers.put(PREFIX + "statusCallback", URI.create(command.statusCallbackUrl()));
        }
        exchange.getMessage().setBody(null);
    }

    public Receipt toReceipt(Exchange exchange) {
        Message message = exchange.getMessage().getBody(Message.class);
        exchange.getMessage().getHeaders().clear();
        return new Receipt("twilio", message.getSid(), message.getStatus() == null ? "queued" : message.getStatus().toString());
    }
}
