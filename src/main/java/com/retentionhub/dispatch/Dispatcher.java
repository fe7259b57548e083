package com.retentionhub.dispatch;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.lead.ContactStore;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.OutboundToggle;
import com.retentionhub.platform.SqlDialect;
import com.retentionhub.platform.Variables;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The last hop before a provider. Claims an outbox row (committing SENDING first, so a crash can
 * never turn into a blind resend), then, holding the phone's consent row lock, re-checks consent,
 * obeys the live toggle, calls the configured SMS connector and records the outcome.
 */
@Component("dispatcher")
public class Dispatcher {

    /** The connector route every send goes through (routes/dispatch-sms-send.camel.yaml). */
    public static final String SEND_ENDPOINT = "direct:dispatch-sms-send";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Outbox outbox;
    private final DeliveryLog deliveries;
    private final ConsentLedger consent;
    private final ContactStore contacts;
    private final OutboundToggle toggle;
    private final ProducerTemplate producer;
    private final SqlDialect dialect;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String statusCallbackUrl;
    private final int maxAttempts;
    private final Duration backoffBase;

    public Dispatcher(JdbcTemplate jdbc, TransactionTemplate tx, Outbox outbox, DeliveryLog deliveries, ConsentLedger consent,
            ContactStore contacts, OutboundToggle toggle, ProducerTemplate producer, SqlDialect dialect, Clock clock, MeterRegistry meters,
            HubProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.consent = consent;
        this.contacts = contacts;
        this.toggle = toggle;
        this.producer = producer;
        this.dialect = dialect;
        this.clock = clock;
        this.meters = meters;
        String base = properties.publicBaseUrl();
        this.statusCallbackUrl = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/sms/status";
        this.maxAttempts = properties.dispatch().maxAttempts();
        this.backoffBase = Duration.ofSeconds(properties.dispatch().backoffBaseSeconds());
    }

    /** Claims the due outbox row with this id; sets {@link Variables#CLAIMED}. Another dispatcher's claim is skipped, not waited on. */
    public void claim(Exchange exchange) {
        long id = exchange.getMessage().getBody(Long.class);
        Boolean claimed = tx.execute(s -> {
            List<Long> rows = jdbc.queryForList("SELECT id FROM outbox WHERE id = ? AND status = ? AND next_attempt_at <= ?"
                    + dialect.forUpdateSkipLocked(), Long.class, id, Outbox.PENDING, Timestamp.from(clock.instant()));
            if (rows.isEmpty()) {
                return false;
            }
            return jdbc.update("UPDATE outbox SET status = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = ?",
                    Outbox.SENDING, Timestamp.from(clock.instant()), id, Outbox.PENDING) == 1;
        });
        exchange.setVariable(Variables.CLAIMED, Boolean.TRUE.equals(claimed));
    }

    /** Sends a claimed row. Runs in one transaction that holds the consent lock across the provider call. */
    public void send(Exchange exchange) {
        long id = exchange.getMessage().getBody(Long.class);
        String outcome = tx.execute(s -> {
            Outbox.Row row = outbox.get(id);
            ConsentStatus status = consent.lockForSend(row.phone(), ConsentChange.SMS);
            if (!status.allowsSending() && !Outbox.OPT_OUT_CONFIRMATION.equals(row.purpose())) {
                finish(id, Outbox.BLOCKED, "blocked", null, "recipient opted out");
                return Outbox.BLOCKED;
            }
            if (!toggle.isLive()) {
                finish(id, Outbox.SIMULATED, "simulated", null, null);
                return Outbox.SIMULATED;
            }
            Exchange result = producer.send(SEND_ENDPOINT,
                    e -> e.getMessage().setBody(new SmsCommand(row.phone(), row.body(), statusCallbackUrl, row.key())));
            if (result.getException() == null) {
                SmsReceipt receipt = result.getMessage().getBody(SmsReceipt.class);
                outbox.setStatus(id, Outbox.SENT, receipt.providerId(), null, null);
                deliveries.linkSent(id, receipt.provider(), receipt.providerId(), MessageStatus.normalise(receipt.status()));
                return Outbox.SENT;
            }
            return failed(row, ProviderError.classify(result.getException()));
        });
        meters.counter("hub.dispatch.outcome", "outcome", outcome).increment();
    }

    private String failed(Outbox.Row row, ProviderError error) {
        String detail = error.code() == null ? error.detail() : error.code() + ": " + error.detail();
        switch (error.kind()) {
            case OPTED_OUT -> {
                consent.record(new ConsentChange(row.phone(), ConsentChange.SMS, ConsentChange.Action.OPT_OUT, ConsentChange.Source.PROVIDER,
                        "provider error " + error.code(), "twilio", clock.instant()));
                finish(row.id(), Outbox.FAILED, "failed", error.code(), detail);
                return Outbox.FAILED;
            }
            case INVALID_RECIPIENT -> {
                contacts.markInvalid(row.phone());
                finish(row.id(), Outbox.FAILED, "failed", error.code(), detail);
                return Outbox.FAILED;
            }
            case RETRYABLE -> {
                if (row.attempts() >= maxAttempts) {
                    finish(row.id(), Outbox.FAILED, "failed", error.code(), "gave up after " + row.attempts() + " attempts: " + detail);
                    return Outbox.FAILED;
                }
                outbox.setStatus(row.id(), Outbox.PENDING, null, detail, nextAttempt(row.attempts()));
                return "RETRY";
            }
            case AMBIGUOUS -> {
                // The text may have gone out: leave it for reconciliation, never resend blindly.
                outbox.setStatus(row.id(), Outbox.UNKNOWN, null, detail, null);
                return Outbox.UNKNOWN;
            }
            default -> {
                finish(row.id(), Outbox.FAILED, "failed", error.code(), detail);
                return Outbox.FAILED;
            }
        }
    }

    private void finish(long id, String outboxStatus, String messageStatus, String errorCode, String detail) {
        outbox.setStatus(id, outboxStatus, null, detail, null);
        deliveries.setLocalStatus(id, messageStatus, errorCode);
    }

    /** Exponential backoff: base, 2x base, 4x base... capped at one hour. */
    Instant nextAttempt(int attempts) {
        long seconds = Math.min(3600, backoffBase.getSeconds() << Math.min(20, Math.max(0, attempts - 1)));
        return clock.instant().plusSeconds(seconds);
    }
}
