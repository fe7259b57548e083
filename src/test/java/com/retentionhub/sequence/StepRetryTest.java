package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A step that cannot be handed over is tried again up to its retry limit, then skipped for the next. */
class StepRetryTest extends HubIntegrationTest {

    @Autowired
    Sequences sequences;

    @Autowired
    Enrollments enrollments;

    @Autowired
    SequenceProcessor processor;

    @Autowired
    Scripts scripts;

    @Autowired
    LeadIntake intake;

    @Test
    void shouldRetryAFailedStepThenGoOnWhenTheScriptAppears() {
        String tag = "retry-" + System.nanoTime();
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-first", List.of(), 2),
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(1, "days"), tag + "-second", List.of(), 0)))).id();
        long enrollment = enroll(sequence);

        processor.processDue(); // no script yet: attempt 1 of 2 retries
        assertThat(count("SELECT count(*) FROM step_execution WHERE enrollment_id = ?", enrollment)).isZero();
        assertThat(jdbc.queryForObject("SELECT step_attempts FROM enrollment WHERE id = ?", Integer.class, enrollment)).isEqualTo(1);
        // Why it waits is a retry reason: the enrollment has not ended.
        assertThat(jdbc.queryForObject("SELECT retry_reason FROM enrollment WHERE id = ?", String.class, enrollment))
                .contains(tag + "-first");
        assertThat(jdbc.queryForObject("SELECT exit_reason FROM enrollment WHERE id = ?", String.class, enrollment)).isNull();

        scripts.create(new Scripts.Definition(tag + "-first", "SMS", null, null, "Hello {{firstName}}", null));
        clock.setTo(clock.instant().plus(SequenceProcessor.RETRY_AFTER));
        processor.processDue();
        assertThat(jdbc.queryForObject("SELECT status FROM step_execution WHERE enrollment_id = ?", String.class, enrollment))
                .isEqualTo("EXECUTED");
        assertThat(jdbc.queryForObject("SELECT step_attempts FROM enrollment WHERE id = ?", Integer.class, enrollment)).isZero();
        assertThat(jdbc.queryForObject("SELECT retry_reason FROM enrollment WHERE id = ?", String.class, enrollment)).isNull();
        assertThat(jdbc.queryForObject("SELECT script FROM step_execution WHERE enrollment_id = ?", String.class, enrollment))
                .isEqualTo(tag + "-first");

        // The second step has no retries: its failure is recorded at once and the enrollment completes.
        clock.setTo(clock.instant().plus(Duration.ofDays(1)));
        processor.processDue();
        assertThat(jdbc.queryForList("SELECT status FROM step_execution WHERE enrollment_id = ? ORDER BY id", String.class, enrollment))
                .containsExactly("EXECUTED", "FAILED");
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("COMPLETED");
    }

    @Test
    void shouldSkipAStepAfterItsLastRetry() {
        String tag = "giveup-" + System.nanoTime();
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-missing", List.of(), 1)))).id();
        long enrollment = enroll(sequence);

        processor.processDue();
        clock.setTo(clock.instant().plus(SequenceProcessor.RETRY_AFTER));
        processor.processDue();

        assertThat(jdbc.queryForObject("SELECT detail FROM step_execution WHERE enrollment_id = ?", String.class, enrollment))
                .contains("no SMS script");
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, enrollment)).isEqualTo("COMPLETED");
    }

    private long enroll(long sequence) {
        long lead = intake.accept(new LeadIntake.NewLead("Ana Ruiz", newPhone(), null, LeadIntake.Source.BULK, null, null, null)).id();
        return enrollments.enroll(sequence, lead, null).orElseThrow();
    }
}
