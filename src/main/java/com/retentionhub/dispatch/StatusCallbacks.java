package com.retentionhub.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.Variables;
import com.retentionhub.platform.WebhookRejectedException;
import com.retentionhub.platform.web.FormBody;
import com.retentionhub.platform.web.TwiML;
import com.retentionhub.platform.web.TwilioSignatureVerifier;
import com.retentionhub.platform.web.WebhookRequest;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** Twilio status callbacks: verified, deduped on (MessageSid, MessageStatus), applied forward-only. */
@Component("statusCallbacks")
public class StatusCallbacks {

    private final TwilioSignatureVerifier verifier;
    private final DeliveryLog deliveries;
    private final TransactionTemplate tx;
    private final ObjectMapper json;

    public StatusCallbacks(TwilioSignatureVerifier verifier, DeliveryLog deliveries, TransactionTemplate tx, ObjectMapper json) {
        this.verifier = verifier;
        this.deliveries = deliveries;
        this.tx = tx;
        this.json = json;
    }

    public void accept(Exchange exchange) throws JsonProcessingException {
        WebhookRequest request = WebhookRequest.read(exchange);
        FormBody form = verifier.verify(request);
        String sid = form.first("MessageSid") != null ? form.first("MessageSid") : form.first("SmsSid");
        String status = MessageStatus
                .normalise(form.first("MessageStatus") != null ? form.first("MessageStatus") : form.first("SmsStatus"));
        if (sid == null || sid.isBlank() || sid.length() > 64) {
            throw WebhookRejectedException.badRequest("missing MessageSid");
        }
        if (status == null || !MessageStatus.isKnown(status)) {
            throw WebhookRejectedException.badRequest("missing or unknown MessageStatus");
        }
        String errorCode = form.first("ErrorCode");
        if (errorCode != null && errorCode.length() > 16) {
            throw WebhookRejectedException.badRequest("ErrorCode: at most 16 characters");
        }
        String params = json.writeValueAsString(form.all());
        tx.executeWithoutResult(s -> {
            if (deliveries.recordCallback("twilio", sid, status, errorCode, params)) {
                deliveries.advance(sid, status, errorCode);
            }
        });
        exchange.setVariable(Variables.TWIML, TwiML.EMPTY);
    }
}
