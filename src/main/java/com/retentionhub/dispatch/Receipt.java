package com.retentionhub.dispatch;

/**
 * What every sink connector returns, whatever the channel: the provider's name, its id for the
 * message (SMS sid, Instantly lead, VAPI call) and the first status.
 */
public record Receipt(String provider, String providerId, String status) {}
