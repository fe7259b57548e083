package com.retentionhub.semantic;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The semantic layer's settings ({@code hub.semantic.*}).
 *
 * @param act at or above this probability the layer opts out or escalates
 * @param band at or above this (and below {@code act}) it asks the one clarification or flags for a human
 */
@Validated
@ConfigurationProperties("hub.semantic")
public record SemanticProperties(boolean enabled, @NotBlank String exemplarsFile, @DecimalMin("0.01") @DecimalMax("1") double act,
        @DecimalMin("0.01") @DecimalMax("1") double band) {}
