package com.retentionhub.conversation;

import com.retentionhub.platform.web.TwiML;
import java.time.Instant;

/**
 * A persisted inbound text, as handed from ingress to processing over the bus.
 *
 * @param keyword the compliance keyword this text was (OPT_OUT, OPT_IN, HELP) or null
 * @param replyText the keyword reply given in the webhook's TwiML answer, or null
 * @param replyLive whether that reply really left (false: recorded as simulated)
 */
public record InboundEvent(
        long id, String provider, String sid, String phone, String toNumber, String body, String keyword, String replyText,
        boolean replyLive, Instant receivedAt) {}
