package com.retentionhub.console;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The staff console's login: one admin whose password arrives only as a bcrypt hash
 * ({@code HUB_ADMIN_PASSWORD_HASH}, or else the file {@code adminPasswordFile}, which the README's
 * first-run command writes while the hub runs). Wrong passwords slow their address down ({@code hub.login.*}).
 */
@Validated
@ConfigurationProperties("hub.console")
public record ConsoleProperties(@NotBlank String adminUser, String adminPasswordHash, String adminPasswordFile) {}
