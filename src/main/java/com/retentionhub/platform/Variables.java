package com.retentionhub.platform;

/** Names of exchange variables shared by Java beans and YAML routes (listed in routes/README.md). */
public final class Variables {

    /** TwiML answer for the webhook caller. */
    public static final String TWIML = "hubTwiml";
    /** True when the webhook stored something new that processing must pick up. */
    public static final String CREATED = "hubCreated";
    /** True when dispatch claimed an outbox row and must try to send it. */

    private Variables() {}
}
