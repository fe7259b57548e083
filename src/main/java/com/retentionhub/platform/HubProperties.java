package com.retentionhub.platform;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** The hub's own settings ({@code hub.*}); secrets arrive through environment placeholders only. */
@Validated
@ConfigurationProperties("hub")
public record HubProperties(
        @NotBlank String publicBaseUrl,
        @NotBlank String businessFile,
        @NotBlank String keywordsFile,
        @NotBlank String phrasesFile,
        @NotBlank String fsmFile,
        @NotBlank String outreachFile,
        String notificationPhone,
        @NotBlank String defaultRegion,
        @NotBlank String outboundLive,
        @NotNull Bus bus,
        @NotNull Ingress ingress,
        @NotNull Recovery recovery,
        @NotNull Dispatch dispatch,
        @NotNull Conversation conversation,
        @NotNull Llm llm,
        @NotNull Security security,
        @NotNull Twilio twilio,
        @NotNull Templates templates,
        @NotNull Meta meta) {

    /**
     * Stage-to-stage endpoints: SEDA by default, Kafka topics in the scale-out profile. The two
     * outward feeds, business events and copies of dead letters, are off while blank.
     */
    public record Bus(@NotBlank String inbound, @NotBlank String outbound, String events, String deadLetters) {}

    public record Ingress(
            @Min(1024) int maxBodyBytes,
            boolean validateSignatures,
            @NotNull List<String> smsPaths,
            @NotNull List<String> statusPaths,
            @Min(1) int batchSize,
            @Min(1) int writers) {}

    public record Recovery(@Min(0) int graceSeconds, @Min(1) int intervalSeconds) {}

    /**
     * Outbound dispatch. Each channel names a primary provider and optionally a secondary it fails
     * over to; a provider is a connector endpoint (a Kamelet URI) with its pacing.
     */
    public record Dispatch(
            @NotBlank String smsProvider,
            String smsSecondaryProvider,
            String emailProvider,
            String voiceProvider,
            @NotNull Map<String, Provider> providers,
            @Min(1) int maxAttempts,
            @Min(1) int backoffBaseSeconds,
            @Min(1) int batchSize,
            @Min(1) int workers,
            @Min(1) int parallelCalls,
            @Min(1) int reconcileAfterSeconds,
            @Min(1) int stuckAfterSeconds,
            @NotNull Breaker breaker,
            @NotNull Policy policy) {

        public Provider provider(String name) {
            Provider p = providers.get(name);
            if (p == null) {
                throw new IllegalStateException(
                        "no provider '" + name + "' under hub.dispatch.providers (known: " + providers.keySet() + ")");
            }
            return p;
        }
    }

    /**
     * One provider: its channel, the connector that sends, the connector that finds a message it
     * may have accepted (for reconciliation), and its pace (0 = unpaced). {@code idempotent}: the
     * provider's send is safe to repeat (Instantly skips a lead already in the campaign), so an
     * unclear answer is simply retried instead of looked up.
     */
    public record Provider(
            @NotBlank String channel,
            @NotBlank String uri,
            String lookupUri,
            @PositiveOrZero double ratePerSecond,
            @PositiveOrZero double senderRatePerSecond,
            String sender,
            Dlr dlr,
            Map<String, String> targets,
            boolean idempotent) {

        /**
         * Where on the provider's side a message goes (Instantly campaign, VAPI assistant): the
         * message's own (set by its script), else the hub campaign's, else the integration default.
         */
        public String target(String own, String campaign) {
            if (own != null && !own.isBlank()) {
                return own;
            }
            Map<String, String> t = targets == null ? Map.of() : targets;
            String byCampaign = campaign == null ? null : t.get(campaign);
            return byCampaign != null && !byCampaign.isBlank() ? byCampaign : t.getOrDefault("default", "");
        }
    }

    /** How a gateway's delivery report names the message and its status; the token guards its webhook path. */
    public record Dlr(String token, String idField, String statusField, Map<String, String> statuses) {}

    /** Circuit breaker per provider: open when this share of recent calls failed with an outage or capacity error. */
    public record Breaker(@Min(1) int failureRatePercent, @Min(1) int slidingWindowCalls, @Min(1) int minimumCalls,
            @Min(1) int waitOpenSeconds) {}

    /** The law and the business's limits, applied at the last hop. */
    public record Policy(
            @NotBlank String quietHoursFile,
            boolean quietHoursForReplies,
            @Min(1) int perContactPerDay,
            @Min(1) int perCampaignPerDay,
            @Min(1) int lifetimePerLead) {}

    /** Reply behaviour; the environment names of the systems this hub replaces keep working. */
    public record Conversation(boolean botEnabled, @Min(1) int rateLimitPerHour, @Min(1) int replyConcurrency, @NotBlank String repliesFile,
            boolean businessHoursOnly, @Min(0) int responseDelaySeconds, @Min(1) int maxAiTurns, @Min(1) int conversationTimeoutHours,
            boolean leadScoringEnabled) {}

    /** The OpenAI-compatible model; without an API key the hub replies from templates alone. */
    public record Llm(@NotBlank String baseUrl, String apiKey, @NotBlank String model, @Min(1) int timeoutSeconds,
            @Min(1) int maxContextMessages) {
        public boolean enabled() {
            return apiKey != null && !apiKey.isBlank();
        }
    }

    public record Security(List<String> apiKeys, String opsUser, String opsPassword) {}

    /**
     * Twilio's account and API. {@code connectTimeoutMs} bounds a connect (a refused or unreachable
     * API is retried), {@code readTimeoutMs} the wait for an answer (after which a send is looked up
     * before anything is sent again).
     */
    public record Twilio(
            String accountSid, String authToken, String from, String messagingServiceSid, @NotBlank String apiBaseUrl,
            @Min(1) int connectTimeoutMs, @Min(1) int readTimeoutMs) {}

    /**
     * Meta lead ads: the token Meta's subscription handshake must echo, the app secret its
     * deliveries are signed with, and how often pending leads are fetched from the Graph API
     * (failed fetches back off from {@code retryBaseSeconds}, doubling, capped at an hour).
     */
    public record Meta(String verifyToken, String appSecret, @NotBlank String fetchUri, @Min(100) long fetchPeriodMs,
            @Min(1) int retryBaseSeconds) {}

    /** Message templates: defaults for fields a recipient lacks, and the offer link behind {@code {{trackingUrl}}}. */
    public record Templates(Map<String, String> defaults, String offerUrl) {}

    /** {@code OUTBOUND_LIVE_TOGGLE=1} (or true) is the only way a message leaves the system. */
    public boolean outboundLiveEnabled() {
        return "1".equals(outboundLive.trim()) || "true".equalsIgnoreCase(outboundLive.trim());
    }
}
