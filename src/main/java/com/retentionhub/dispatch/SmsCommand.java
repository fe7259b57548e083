package com.retentionhub.dispatch;

/**
 * What every SMS sink connector takes, whichever provider is behind it.
 *
 * @param to E.164 recipient
 * @param from the sender number, or null for the connector's configured sender
 * @param idempotencyKey the outbox key, sent as the message reference where the provider takes one
 */
public record SmsCommand(String to, String from, String body, String statusCallbackUrl, String idempotencyKey) {}
