package com.retentionhub.connector.twilio;

import com.retentionhub.dispatch.SmsLookup;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.type.PhoneNumber;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Finds a message Twilio may have accepted: its create call takes no idempotency key, so the
 * lookup lists the newest messages to the recipient and matches body and creation time.
 * WORKAROUND(camel-twilio 4.17): the {@code message/read} endpoint takes no {@code To} filter, so
 * this calls the SDK's reader through the same configured client.
 */
@Component("twilioSmsLookup")
public class TwilioSmsLookup {

    private final TwilioRestClient client;

    public TwilioSmsLookup(TwilioRestClient twilioRestClient) {
        this.client = twilioRestClient;
    }

    public SmsLookup.Result find(Exchange exchange, String accountSid) {
        SmsLookup query = exchange.getMessage().getBody(SmsLookup.class);
        exchange.getMessage().getHeaders().clear();
        Instant since = query.since().minusSeconds(60);
        for (Message m : Message.reader(accountSid).setTo(new PhoneNumber(query.to())).limit(50).read(client)) {
            Instant created = m.getDateCreated() == null ? null : m.getDateCreated().toInstant();
            if (query.body().equals(m.getBody()) && (created == null || !created.isBefore(since))) {
                return new SmsLookup.Result(true, m.getSid(), m.getStatus() == null ? "queued" : m.getStatus().toString());
            }
        }
        return SmsLookup.Result.notFound();
    }
}
