package com.retentionhub.dispatch;

import com.retentionhub.support.TwilioFake;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The SMS sink contract against a fake of Twilio's Messages API (the default provider). */
class TwilioSinkContractTest extends SmsSinkContract {

    @Override
    String provider() {
        return "twilio";
    }

    @Override
    void reset() {
        // HubIntegrationTest resets the Twilio fake before every test.
    }

    @Override
    void accept() {
        TwilioFake.acceptMessages(TWILIO);
    }

    @Override
    void refuseAsUnsubscribed() {
        TwilioFake.failWith(TWILIO, 400, 21610, "Attempt to send to unsubscribed recipient");
    }

    @Override
    void refuseAsInvalidNumber() {
        TwilioFake.failWith(TWILIO, 400, 21211, "Invalid 'To' Phone Number");
    }

    @Override
    void refuseWith(int httpStatus) {
        TwilioFake.failWith(TWILIO, httpStatus, httpStatus == 429 ? 20429 : 20500, "provider trouble");
    }

    @Override
    void lookupFinds(String phone, String body, String providerId) {
        TwilioFake.listMessages(TWILIO, phone, TwilioFake.message(providerId, phone, body, "sent"));
    }

    @Override
    List<String> requestsTo(String phone) {
        return TwilioFake.requestsTo(TWILIO, phone).stream().map(r -> URLDecoder.decode(r.getBodyAsString(), StandardCharsets.UTF_8))
                .toList();
    }

    @Override
    int report(String providerId, String providerStatus) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", providerId);
        form.put("MessageStatus", providerStatus);
        form.put("AccountSid", "ACfakefakefakefakefakefakefakefake");
        return twilio.post("/sms/status", form).statusCode();
    }

    @Override
    String delivered() {
        return "delivered";
    }

    @Override
    String sentNotDelivered() {
        return "sent";
    }
}
