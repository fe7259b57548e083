package com.retentionhub.dispatch;

/** What every SMS sink connector returns: the provider's name, its message id and first status. */
public record SmsReceipt(String provider, String providerId, String status) {}
