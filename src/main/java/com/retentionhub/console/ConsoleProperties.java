package com.retentionhub.console;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The staff console's login: one admin whose password arrives only as a bcrypt hash
 * ({@code HUB_ADMIN_PASSWORD_HASH}), and how many wrong passwords lock a user out for how long.
 */
@Validated
@ConfigurationProperties("hub.console")
public record ConsoleProperties(@NotBlank String adminUser, String adminPasswordHash, @Min(1) int maxFailures, @NotNull Duration lockout) {}
