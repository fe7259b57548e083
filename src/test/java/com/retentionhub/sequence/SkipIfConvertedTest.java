package com.retentionhub.sequence;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.conversion.Conversions;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.lead.Scripts;
import com.retentionhub.support.HubIntegrationTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@code skip-if-converted}: a lead the tracker reported converting (here a sign-up, which does not end
 * the enrollment as a sale does) is not sent that step, and the steps without it still go.
 */
class SkipIfConvertedTest extends HubIntegrationTest {

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

    @Autowired
    Conversions conversions;

    @Test
    void shouldSkipAStepMarkedSkipIfConvertedAndGoOnWhenTheTrackerReportedAConversion() {
        String tag = "skipconv-" + System.nanoTime();
        scripts.create(new Scripts.Definition(tag + "-offer", "SMS", null, null, "Hi {{firstName}}, 20% off your first visit", null));
        scripts.create(new Scripts.Definition(tag + "-tips", "SMS", null, null, "Hi {{firstName}}, three tips before your visit", null));
        long sequence = sequences.create(new SequenceDefinition(tag, "ACTIVE", List.of(
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-offer", List.of("skip-if-converted"),
                        0),
                new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(1, "days"), tag + "-tips", List.of(), 0)))).id();
        String subId = tag + "-sub";
        long converted = intake.accept(new LeadIntake.NewLead("Ana Ruiz", newPhone(), null, LeadIntake.Source.BULK, null, subId, null))
                .id();
        long other = intake.accept(new LeadIntake.NewLead("Ben Ortiz", newPhone(), null, LeadIntake.Source.BULK, null, null, null)).id();
        long skipped = enrollments.enroll(sequence, converted, null).orElseThrow();
        long sent = enrollments.enroll(sequence, other, null).orElseThrow();
        assertThat(conversions.record(new Conversions.Postback(subId, "T-" + tag, "lead", null, null, null, "status=lead")).matched())
                .isTrue();

        processor.processDue();

        assertThat(jdbc.queryForList("SELECT status || ':' || COALESCE(detail, '') FROM step_execution WHERE enrollment_id = ?",
                String.class, skipped))
                .containsExactly("SKIPPED:the lead converted");
        assertThat(jdbc.queryForList("SELECT status FROM step_execution WHERE enrollment_id = ?", String.class, sent))
                .containsExactly("EXECUTED");
        assertThat(jdbc.queryForObject("SELECT status FROM enrollment WHERE id = ?", String.class, skipped)).as("a sign-up does not end it")
                .isEqualTo("ACTIVE");

        clock.setTo(clock.instant().plus(Duration.ofDays(1)));
        processor.processDue();

        assertThat(
                jdbc.queryForList("SELECT x.status FROM step_execution x JOIN sequence_step s ON s.id = x.step_id WHERE x.enrollment_id = ?"
                        + " ORDER BY s.position", String.class, skipped))
                .containsExactly("SKIPPED", "EXECUTED");
    }
}
