package com.retentionhub.staff;

import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.platform.Channel;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.Locale;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A script (saved or being typed) rendered for a lead, with its length, segments, encoding, fields and compliance wording. */
@RestController
@RequestMapping("/api")
public class ScriptPreviewApi {

    /** The example recipient used when no lead is chosen. */
    static final ScriptInsight.Recipient EXAMPLE = new ScriptInsight.Recipient("Jamie Rivera", "+14155550100", "jamie@example.com");

    public record ScriptPreviewRequest(@Schema(pattern = "(?i)SMS|EMAIL|CALL") @Size(max = 8) String channel,
            @Size(max = 300) String subject, @Size(max = 10_000) String body, @Positive Long leadId) {}

    private final ScriptInsight insight;
    private final LeadDirectory leads;

    public ScriptPreviewApi(ScriptInsight insight, LeadDirectory leads) {
        this.insight = insight;
        this.leads = leads;
    }

    @PostMapping("/scripts/preview")
    public ScriptInsight.Analysis preview(@Valid @RequestBody ScriptPreviewRequest request) {
        String channel = request.channel() == null ? Channel.SMS.stepName() : request.channel().toUpperCase(Locale.ROOT);
        if (!Channel.stepNames().contains(channel)) {
            throw ApiProblem.badRequest("channel must be SMS, EMAIL or CALL");
        }
        return insight.analyse(channel, request.subject(), request.body() == null ? "" : request.body(), recipient(request.leadId()));
    }

    ScriptInsight.Recipient recipient(Long leadId) {
        if (leadId == null) {
            return EXAMPLE;
        }
        LeadDirectory.Person lead = leads.person(leadId).orElseThrow(() -> ApiProblem.notFound("lead", leadId));
        return new ScriptInsight.Recipient(lead.name(), lead.phone(), lead.email());
    }
}
