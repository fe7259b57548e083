package com.retentionhub.platform;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How password logins (the console's form, the ops user's basic auth) are slowed per source address:
 * {@code freeFailures} wrong passwords pass unhindered, then each further one doubles the wait from
 * {@code firstDelay} up to {@code maxDelay}; an address is forgotten {@code forgetAfter} after its
 * last failure, and at most {@code maxAddresses} are remembered at once.
 */
@Validated
@ConfigurationProperties("hub.login")
public record LoginProperties(
        @Min(0) int freeFailures, @NotNull Duration firstDelay, @NotNull Duration maxDelay, @NotNull Duration forgetAfter,
        @Min(1) int maxAddresses) {}
