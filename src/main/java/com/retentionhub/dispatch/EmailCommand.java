package com.retentionhub.dispatch;

/**
 * What every email sink connector takes.
 *
 * @param to the recipient's address
 * @param target the provider-side campaign the lead joins (Instantly campaign id)
 * @param idempotencyKey the outbox key
 * @param attemptId the id tracking links in the body carry as {@code sub_id}
 */
public record EmailCommand(String to, String firstName, String lastName, String subject, String body, String target, String idempotencyKey,
        String attemptId) {}
