package com.retentionhub.platform;

/** A webhook request refused before anything was stored; the status and reason go to the caller. */
public class WebhookRejectedException extends RuntimeException {

    private final int status;

    public WebhookRejectedException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static WebhookRejectedException badRequest(String reason) {
        return new WebhookRejectedException(400, reason);
    }

    public static WebhookRejectedException forbidden(String reason) {
        return new WebhookRejectedException(403, reason);
    }

    public static WebhookRejectedException tooLarge(String reason) {
        return new WebhookRejectedException(413, reason);
    }
}
