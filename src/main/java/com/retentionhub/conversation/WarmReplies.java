package com.retentionhub.conversation;

import com.retentionhub.platform.Texts;
import java.util.regex.Pattern;

/**
 * Whether a reply to a campaign text is warm: a lead staff should call now. "Interested! how much?",
 * "yes please, how much" and "sure, call me" are; a refusal, a question about who we are, or a bare
 * price question ("what does the spray cost?") is not. A refusal wins over any warm word ("not
 * interested", "don't call me"). Tuned on {@code warm-replies/tuning.tsv}; measured on the frozen part.
 */
public final class WarmReplies {

    /** Words of refusal or of a person we should not be pressing: any of them and the reply is not warm. */
    private static final Pattern COLD = Pattern
            .compile("\\b(no|nope|nah|not|never|don t|dont|do not|stop|unsubscribe|remove|wrong|pass|later"
                    + "|leave me|who is|who s|who are|already|i m good|we re fine|moved|can t talk)\\b");
    /** Agreement, interest, or asking to be called or booked. */
    private static final Pattern WARM = Pattern.compile("\\b(yes|yeah|yea|yep|yup|ya|sure|ok|okay|interested|count me in|sign me up|i m in"
            + "|call me|give me a call|please call|call back|have someone call|book|schedule|appointment|come out|come by|set up|quote|let s do it"
            + "|absolutely|definitely|sounds good|go ahead|send someone|more info|details|i want|i d like|id like|would love|i need)\\b");
    /** A question about who is texting ("who is this?", "who's this", "who are you"). */
    private static final Pattern WHO = Pattern
            .compile("^(hi |hey |um |sorry )?(who is this|who s this|who are you|who is texting( me)?|who dis|whos this)"
                    + "( again)?$");

    private WarmReplies() {}

    public static boolean isWarm(String text) {
        return isWarmNormalised(Texts.normalise(text));
    }

    /** For callers that already normalised the text with {@link Texts#normalise}. */
    public static boolean isWarmNormalised(String t) {
        return !COLD.matcher(t).find() && WARM.matcher(t).find();
    }

    /** The customer asks who is texting them: they get the business's name and why it texted, not a STOP prompt. */
    public static boolean asksWhoWeAre(String text) {
        return WHO.matcher(Texts.normalise(text)).matches();
    }
}
