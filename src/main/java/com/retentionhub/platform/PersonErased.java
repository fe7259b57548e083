package com.retentionhub.platform;

/**
 * A customer's personal data is being deleted, inside the deleting transaction. Each module that
 * keeps data about a person listens and removes or anonymises its own rows; {@code alias} is the
 * random stand-in for the phone where a row must stay for the business's counts (sends, runs).
 */
public record PersonErased(long contactId, String phone, String alias) {}
