package com.retentionhub.sequence;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Says once, at start-up, what the stored definitions name but nobody wrote: a sequence step whose
 * script does not exist (every pass would skip it with "no script") and a campaign whose sequence
 * does not exist (its leads would be enrolled in nothing).
 */
@Component
public class MissingReferences {

    private static final Logger LOG = LoggerFactory.getLogger(MissingReferences.class);

    private final Sequences sequences;
    private final Scripts scripts;
    private final Campaigns campaigns;

    public MissingReferences(Sequences sequences, Scripts scripts, Campaigns campaigns) {
        this.sequences = sequences;
        this.scripts = scripts;
        this.campaigns = campaigns;
    }

    /** After everything shipped in config/ is stored. */
    @Order(1000)
    @EventListener(ApplicationReadyEvent.class)
    public void report() {
        List<String> missing = find();
        if (!missing.isEmpty()) {
            LOG.warn("{} missing at start-up: {}", missing.size(), String.join("; ", missing));
        }
    }

    /** What is missing, one phrase each; empty when every reference resolves. */
    public List<String> find() {
        Set<String> written = scripts.list(null).stream().map(s -> s.name() + ":" + s.channel()).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        for (Sequences.Sequence sequence : sequences.list()) {
            if (sequence.status().equals("ARCHIVED")) {
                continue;
            }
            for (Sequences.Step step : sequence.steps()) {
                if (!written.contains(step.script() + ":" + step.channel().toUpperCase(Locale.ROOT))) {
                    missing.add("sequence '" + sequence.name() + "' step " + step.position() + " names " + step.channel() + " script '"
                            + step.script()
                            + "', which does not exist");
                }
            }
        }
        for (String[] reengagement : List.of(new String[] {SmartReengagement.OPENED_EMAIL_SCRIPT, Channel.SMS.stepName()},
                new String[] {SmartReengagement.CALLBACK_SCRIPT, Channel.VOICE.stepName()})) {
            if (!written.contains(reengagement[0] + ":" + reengagement[1])) {
                missing.add("smart re-engagement names " + reengagement[1] + " script '" + reengagement[0] + "', which does not exist");
            }
        }
        Set<String> sequenceNames = sequences.list().stream().map(Sequences.Sequence::name).collect(Collectors.toSet());
        for (Campaigns.Campaign campaign : campaigns.list()) {
            if (!campaign.status().equals("ENDED") && campaign.sequence() != null && !campaign.sequence().isBlank()
                    && !sequenceNames.contains(campaign.sequence())) {
                missing.add("campaign '" + campaign.name() + "' names sequence '" + campaign.sequence() + "', which does not exist");
            }
        }
        return missing;
    }
}
