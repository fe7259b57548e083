package com.retentionhub.dispatch;

/**
 * What every SMS sink connector takes, whichever provider is behind it.
 *
 * @param to E.164 recipient
 * @param idempotencyKey the outbox key, for providers that accept one
 */
public record SmsCommand(String to, String body, String statusCallbackUrl, String idempotencyKey) {}
