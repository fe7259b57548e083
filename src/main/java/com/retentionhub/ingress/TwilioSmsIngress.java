package com.retentionhub.ingress;

import com.retentionhub.consent.ConsentSignals;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.conversation.InboundEvent;
import com.retentionhub.platform.Variables;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.FormBody;
import com.retentionhub.platform.web.TwiML;
import com.retentionhub.platform.web.TwilioSignatureVerifier;
import com.retentionhub.platform.web.WebhookRequest;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * The request side of Twilio's inbound-SMS webhook: verify, validate, persist, and decide the
 * TwiML answer. Everything else happens after the answer, over the bus.
 */
@Component("twilioSmsIngress")
public class TwilioSmsIngress {

    public static final String PROVIDER = "twilio";
    private static final int MAX_SID = 64;
    /** inbound_event.to_number's width; a phone number or short code is far shorter. */
    private static final int MAX_NUMBER = 32;

    private final TwilioSignatureVerifier verifier;
    private final InboundEventStore store;
    private final ConsentSignals signals;
    private final PhoneNumbers phones;
    private final Clock clock;

    public TwilioSmsIngress(TwilioSignatureVerifier verifier, InboundEventStore store, ConsentSignals signals, PhoneNumbers phones,
            Clock clock) {
        this.verifier = verifier;
        this.store = store;
        this.signals = signals;
        this.phones = phones;
        this.clock = clock;
    }

    /** Leaves the stored {@link InboundEvent} as body and the answer in {@link Variables#TWIML}. */
    public void accept(Exchange exchange) throws InterruptedException {
        WebhookRequest request = WebhookRequest.read(exchange);
        FormBody form = verifier.verify(request);

        String sid = firstNonBlank(form.first("MessageSid"), form.first("SmsSid"));
        if (sid == null) {
            throw WebhookRejectedException.badRequest("missing MessageSid");
        }
        if (sid.length() > MAX_SID) {
            throw WebhookRejectedException.badRequest("MessageSid too long");
        }
        String from = form.first("From");
        if (from == null || from.isBlank()) {
            throw WebhookRejectedException.badRequest("missing From");
        }
        String phone = phones.toE164(from).orElseThrow(() -> WebhookRejectedException.badRequest("From is not a valid phone number"));
        String to = form.first("To");
        if (to != null && to.length() > MAX_NUMBER) {
            throw WebhookRejectedException.badRequest("To: at most " + MAX_NUMBER + " characters");
        }
        // A customer's text is never refused for what it holds: a NUL is replaced in the stored body,
        // and the raw form (stored as JSON, which escapes it) keeps the original.
        String body = form.text("Body") == null ? "" : form.text("Body");

        InboundEventStore.NewEvent event = new InboundEventStore.NewEvent(PROVIDER, sid, phone, to, body, form.all(),
                signals.classify(body), clock.instant());
        InboundEventStore.Result result = await(store.submit(event));
        exchange.setVariable(Variables.TWIML, result.twiml());
        exchange.setVariable(Variables.CREATED, result.created());
        exchange.getMessage().setBody(result.event());
    }

    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("event store did not commit in time", e);
        }
    }

    private static String firstNonBlank(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
