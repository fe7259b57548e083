package com.retentionhub.consent;

/** A phone opted in again on {@code channel} (a keyword or staff), published inside the recording transaction. */
public record ConsentRenewed(String phone, String channel, String source, String actor) {}
