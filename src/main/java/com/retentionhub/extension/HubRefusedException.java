package com.retentionhub.extension;

import com.retentionhub.platform.WebhookRejectedException;

/**
 * A {@code hub:} endpoint refused the request and changed nothing: bad input (400), or a message
 * the hub will not queue, such as one to an opted-out phone (409). In a route under the
 * {@code webhook-inbound} policy it becomes that HTTP answer with the reason; elsewhere a route
 * catches it with {@code doTry}/{@code doCatch} or lets the default policy dead-letter it.
 */
public class HubRefusedException extends WebhookRejectedException {

    public HubRefusedException(int status, String reason) {
        super(status, reason);
    }

    static HubRefusedException badInput(String reason) {
        return new HubRefusedException(400, reason);
    }

    static HubRefusedException conflict(String reason) {
        return new HubRefusedException(409, reason);
    }
}
