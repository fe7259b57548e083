package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two processors (as two hub instances or two triggers would, each with its own claiming loops)
 * over 10,000 due enrollments on PostgreSQL: every step is handed to dispatch exactly once.
 */
class ConcurrentProcessorsTest extends HubIntegrationTest {

    private static final int ENROLLMENTS = 10_000;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    Sequences sequences;

    @Autowired
    Scripts scripts;

    @Test
    void shouldExecuteEachDueStepExactlyOnce() throws Exception {
        String tag = "conc" + ThreadLocalRandom.current().nextInt(1_000_000);
        scripts.create(new Scripts.Definition(tag + "-sms", "SMS", null, null, "Hi {{firstName}}, spring offer from {{business}}.", null));
        long sequenceId = sequences.create(new SequenceDefinition(tag, "ACTIVE",
                List.of(new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-sms", List.of(), 0)))).id();
        // 10,000 leads with phones of their own, each enrolled and due now.
        jdbc.update("INSERT INTO leads (phone, name, source, status, created_at, updated_at) SELECT '+1646' || (2000000 + g), 'Lead ' || g,"
                + " 'BULK', 'NEW', now(), now() FROM generate_series(1, ?) g", ENROLLMENTS);
        jdbc.update("INSERT INTO enrollment (sequence_id, lead_id, campaign, status, next_position, next_run_at, enrolled_at, updated_at)"
                + " SELECT ?, id, NULL, 'ACTIVE', 1, ?, ?, ? FROM leads WHERE phone LIKE '+1646%'", sequenceId,
                Timestamp.from(clock.instant()), Timestamp.from(clock.instant()), Timestamp.from(clock.instant()));

        CompletableFuture<SequenceProcessor.Pass> one = CompletableFuture.supplyAsync(processor::processDue);
        CompletableFuture<SequenceProcessor.Pass> two = CompletableFuture.supplyAsync(processor::processDue);
        SequenceProcessor.Pass a = one.get();
        SequenceProcessor.Pass b = two.get();

        assertThat(a.executed() + b.executed()).isEqualTo(ENROLLMENTS); // each call also runs several claiming loops of its own
        assertThat(count("SELECT count(*) FROM step_execution x JOIN enrollment e ON e.id = x.enrollment_id WHERE e.sequence_id = ?",
                sequenceId))
                .isEqualTo(ENROLLMENTS);
        assertThat(count("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'seq:%' AND phone LIKE '+1646%'")).isEqualTo(ENROLLMENTS);
        assertThat(count("SELECT count(*) FROM (SELECT phone FROM outbox WHERE phone LIKE '+1646%' GROUP BY phone HAVING count(*) > 1) d"))
                .isZero();
        assertThat(count("SELECT count(*) FROM enrollment WHERE sequence_id = ? AND status = 'COMPLETED'", sequenceId))
                .isEqualTo(ENROLLMENTS);
    }
}
