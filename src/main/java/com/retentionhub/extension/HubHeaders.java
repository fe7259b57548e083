package com.retentionhub.extension;

import java.util.List;

/**
 * The headers the {@code hub:} endpoints read and set (docs/extending.md lists them with each
 * endpoint; a test keeps the two in step). Values are plain strings.
 */
public final class HubHeaders {

    /** hub:messages (required): the message's idempotency key; the same key never queues a second message. */
    public static final String IDEMPOTENCY_KEY = "HubIdempotencyKey";

    /** hub:leads (optional): where the lead came from, one of api, manual, bulk, import (api when absent). */
    public static final String LEAD_SOURCE = "HubLeadSource";

    /** hub:consent: what to do, one of lookup (when absent), opt-in, opt-out. */
    public static final String CONSENT_ACTION = "HubConsentAction";

    /** hub:events (set): the event's id, the same for the same fact; drop repeats by it. */
    public static final String EVENT_ID = "HubEventId";

    /** hub:events (set): the event's type, e.g. lead.converted. */
    public static final String EVENT_TYPE = "HubEventType";

    /** hub:events (set): the customer's phone (E.164), when the event has one. */
    public static final String PHONE = "HubPhone";

    /** Every header above, for the documentation check. */
    static final List<String> ALL = List.of(IDEMPOTENCY_KEY, LEAD_SOURCE, CONSENT_ACTION, EVENT_ID, EVENT_TYPE, PHONE);

    private HubHeaders() {}
}
