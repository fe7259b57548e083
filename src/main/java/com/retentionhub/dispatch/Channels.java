package com.retentionhub.dispatch;

import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.platform.Channel;
import java.util.List;
import java.util.function.Function;

/** The outbound channels and what each one's consent and the telephone rules cover. */
public final class Channels {

    private Channels() {}

    /**
     * The consent rows a send on {@code channel} needs, in lock order. A call also needs the SMS
     * row: a STOP by text revokes consent to calls from the same business (TCPA: revocation by any
     * reasonable means), so a texted STOP never leads to a phone call.
     */
    public static List<String> consentChannels(String channel) {
        return Channel.VOICE.code().equals(channel) ? List.of(Channel.SMS.code(), Channel.VOICE.code()) : List.of(channel);
    }

    /**
     * The consent a send on {@code channel} has: opted out on any channel it needs means opted out;
     * otherwise opted in if any of them says so, else nothing recorded.
     */
    public static ConsentStatus consent(String channel,
            Function<String, ConsentStatus> statusOn) {
        ConsentStatus result = ConsentStatus.NONE;
        for (String c : consentChannels(channel)) {
            ConsentStatus s = statusOn.apply(c);
            if (!s.allowsSending()) {
                return s;
            }
            if (s == ConsentStatus.OPTED_IN) {
                result = s;
            }
        }
        return result;
    }

}
