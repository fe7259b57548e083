package com.retentionhub.dispatch;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.template.MessageTemplates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Provider calls for the rows a pass decided to send: on threads of their own (a pass's calls run in
 * parallel, up to {@code parallel-calls}), paced, through the channel's providers with
 * {@link Failover}, each with the command its channel takes.
 */
@Component
class ProviderCalls {

    private final Providers providers;
    private final ProviderDrains drains;
    private final SendPacing pacing;
    private final EmailCampaignPool emailCampaigns;
    private final Failover failover;
    private final Clock clock;
    private final String publicBaseUrl;
    private final ExecutorService calls;

    ProviderCalls(Providers providers, ProviderDrains drains, SendPacing pacing, JdbcTemplate jdbc, Clock clock, HubProperties properties) {
        HubProperties.Dispatch settings = properties.dispatch();
        this.providers = providers;
        this.drains = drains;
        this.pacing = pacing;
        this.emailCampaigns = new EmailCampaignPool(jdbc);
        this.failover = new Failover(clock, settings.reconcileAfterSeconds(), settings.breaker().waitOpenSeconds());
        this.clock = clock;
        this.publicBaseUrl = properties.publicBaseUrl();
        this.calls = Executors.newFixedThreadPool(settings.parallelCalls(), r -> {
            Thread t = new Thread(r, "provider-call");
            t.setDaemon(true);
            return t;
        });
    }

    /** Whether any provider carries the channel (else its messages fail at once). */
    boolean serves(String channel) {
        return !providers.forChannel(channel).isEmpty();
    }

    /** Starts sending the row; {@code name} is the contact's name for an email or call. */
    CompletableFuture<Outcome> deliver(Outbox.Row row, String name) {
        return CompletableFuture.supplyAsync(() -> failover.deliver(row.channel(), providers.forChannel(row.channel()), forRow(row, name)),
                calls);
    }

    /** The providers as the failover decision sees them, for one row. */
    private Failover.Calls forRow(Outbox.Row row, String name) {
        return new Failover.Calls() {
            @Override
            public boolean drained(String provider) {
                return drains.isDrained(provider);
            }

            @Override
            public boolean admitted(String provider) {
                return providers.breaker(provider).tryAcquirePermission();
            }

            @Override
            public boolean canLookUp(String provider) {
                return providers.hasLookup(provider);
            }

            @Override
            public Failover.Tried send(String provider, boolean failingOver) {
                if (failingOver) {
                    pacing.awaitFailoverSlot(provider, row);
                }
                pacing.gate(provider, row);
                String target = providers.settings(provider).target(row.target(), row.campaign());
                if (Channel.EMAIL.code().equals(row.channel())) {
                    String configured = target;
                    target = emailCampaigns.pick(row, provider, configured);
                    if (target == null) {
                        return new Failover.Tried(null, new ProviderError(ProviderError.Kind.PERMANENT, null,
                                EmailCampaignPool.exhausted(provider, configured)), null);
                    }
                }
                Providers.Attempt attempt = providers.send(provider, command(row, provider, target, name));
                return new Failover.Tried(attempt.receipt(), attempt.error(), target);
            }

            @Override
            public SmsLookup.Result lookup(String provider) {
                return providers.lookup(provider, lookupFor(row));
            }
        };
    }

    /** The channel's command for one row; the callback URL tells the provider where to report back. */
    private Object command(Outbox.Row row, String provider, String target, String name) {
        HubProperties.Provider p = providers.settings(provider);
        Map<String, String> names = MessageTemplates.nameFields(name);
        String first = names.get("firstName");
        String last = names.get("lastName");
        return switch (Channel.ofCode(row.channel())) {
            case EMAIL ->
                new EmailCommand(row.address(), first, last, row.subject(), row.body(), target, row.key(), row.attemptId());
            case VOICE ->
                new CallCommand(row.phone(), name, row.body(), target, DeliveryReports.callbackUrl(publicBaseUrl, provider, p),
                        row.key(), row.attemptId());
            case SMS ->
                new SmsCommand(row.phone(), row.sender(), row.body(), DeliveryReports.callbackUrl(publicBaseUrl, provider, p), row.key());
        };
    }

    /** What a provider is asked to find the row by: recipient, text, key, and since when it may have been sent. */
    SmsLookup lookupFor(Outbox.Row row) {
        Instant since = row.claimedAt() != null ? row.claimedAt() : clock.instant().minus(Duration.ofMinutes(10));
        return new SmsLookup(row.phone(), row.body(), row.key(), since);
    }
}
