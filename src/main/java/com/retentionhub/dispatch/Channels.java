package com.retentionhub.dispatch;

import java.util.List;

/** The outbound channels and what each one's consent and the telephone rules cover. */
public final class Channels {

    public static final String SMS = "sms";
    public static final String EMAIL = "email";
    public static final String VOICE = "voice";

    private Channels() {}

    /**
     * The consent rows a send on {@code channel} needs, in lock order. A call also needs the SMS
     * row: a STOP by text revokes consent to calls from the same business (TCPA: revocation by any
     * reasonable means), so a texted STOP never leads to a phone call.
     */
    public static List<String> consentChannels(String channel) {
        return VOICE.equals(channel) ? List.of(SMS, VOICE) : List.of(channel);
    }

    /** Texts and calls are telephone solicitations: quiet hours and the 24-hour caps apply; email is not. */
    public static boolean telephonic(String channel) {
        return SMS.equals(channel) || VOICE.equals(channel);
    }
}
