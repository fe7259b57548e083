package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.sequence.MissingReferences;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.support.HubIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What config/scripts ships is stored once and never over a staff edit; start-up names what a sequence or campaign refers to but nobody wrote. */
class ShippedDefinitionsTest extends HubIntegrationTest {

    @Autowired
    Scripts scripts;

    @Autowired
    ScriptFiles scriptFiles;

    @Autowired
    Sequences sequences;

    @Autowired
    Campaigns campaigns;

    @Autowired
    MissingReferences missing;

    @Test
    void shouldKeepAScriptStaffEditedWhenTheHubStartsAgain() {
        Scripts.Script shipped = scripts.resolve("meta-welcome-sms", "SMS", null).orElseThrow();
        assertThat(shipped.body()).contains("{{business}}").contains("Reply STOP to opt out");
        String edited = "Hi {{firstName}}, {{business}} here, thanks for asking about pest control! Reply STOP to opt out.";
        scripts.update(shipped.id(), new Scripts.Definition("meta-welcome-sms", "SMS", null, null, edited, null));
        try {
            scriptFiles.storeShipped(); // what the next start-up does

            assertThat(scripts.resolve("meta-welcome-sms", "SMS", null).orElseThrow().body()).isEqualTo(edited);
            assertThat(scripts.list(null).stream().filter(s -> s.name().equals("meta-welcome-sms"))).hasSize(1);
        } finally {
            scripts.update(shipped.id(), new Scripts.Definition("meta-welcome-sms", "SMS", null, null, shipped.body(), null));
        }
    }

    @Test
    void shouldNameAStepWhoseScriptNobodyWroteAndACampaignWhoseSequenceDoesNotExist() {
        String tag = "missing-" + System.nanoTime();
        // Other test classes may have left sequences of their own; what ships refers only to what ships.
        assertThat(missing.find()).noneMatch(m -> m.contains("New Meta Lead Nurture") || m.contains("smart re-engagement"));

        sequences.create(new SequenceDefinition(tag, "ACTIVE",
                List.of(new SequenceDefinition.Step("SMS", new SequenceDefinition.Delay(0, "minutes"), tag + "-text", List.of(), 0))));
        campaigns.create(new Campaigns.Definition(tag, "PAUSED", List.of("MANUAL"), 0, tag + "-sequence"));

        assertThat(missing.find()).contains("sequence '" + tag + "' step 1 names SMS script '" + tag + "-text', which does not exist",
                "campaign '" + tag + "' names sequence '" + tag + "-sequence', which does not exist");
    }
}
