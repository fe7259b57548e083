package com.retentionhub.platform;

/** Names of exchange variables shared by Java beans and YAML routes (listed in routes/README.md). */
public final class Variables {

    /** TwiML answer for the webhook caller. */
    public static final String TWIML = "hubTwiml";
    /** True when the webhook stored something new that processing must pick up. */
    public static final String CREATED = "hubCreated";
    /** The provider whose connector dispatch-send and dispatch-lookup call ({@code direct:provider-<name>-send}). */
    public static final String PROVIDER = "hubProvider";

    private Variables() {}
}
