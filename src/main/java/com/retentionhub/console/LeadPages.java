package com.retentionhub.console;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.staff.BulkEnrollApi;
import com.retentionhub.staff.LeadDetailsApi;
import com.retentionhub.staff.LeadsApi;
import com.retentionhub.staff.SequencesApi;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Leads for the people who run campaigns: the searchable list with bulk enrollment (preview first),
 * and one lead's page with its timeline and actions (enroll, pause, resume, end, do-not-contact).
 * Every action goes through the same API handler a script would call.
 */
@Controller
public class LeadPages {

    static final int PAGE_SIZE = 25;

    /** Each timeline kind's label on the page. */
    static final Map<String, String> KINDS = Map.of("enrolled", "Enrolled", "enrollment", "Enrollment", "step", "Step",
            "attempt", "Attempt", "email-opened", "Email opened", "email-replied", "Email reply", "reply", "Reply", "call", "Call",
            "conversion",
            "Conversion", "consent", "Consent");

    /** The list's filter, as the query string carries it. */
    public record Filter(String q, String source, String status, String campaign, Integer page) {
        int pageOrFirst() {
            return page == null || page < 0 ? 0 : page;
        }

        BulkEnrollApi.LeadFilter api() {
            return new BulkEnrollApi.LeadFilter(blank(q), blank(source), blank(status), blank(campaign));
        }
    }

    private final LeadsApi leads;
    private final LeadDetailsApi details;
    private final BulkEnrollApi bulk;
    private final SequencesApi sequencesApi;
    private final Sequences sequences;
    private final Campaigns campaigns;
    private final ConsoleCalls calls;

    public LeadPages(LeadsApi leads, LeadDetailsApi details, BulkEnrollApi bulk, SequencesApi sequencesApi, Sequences sequences,
            Campaigns campaigns,
            ConsoleCalls calls) {
        this.leads = leads;
        this.details = details;
        this.bulk = bulk;
        this.sequencesApi = sequencesApi;
        this.sequences = sequences;
        this.campaigns = campaigns;
        this.calls = calls;
    }

    @GetMapping("/console/leads")
    public String list(Filter filter, Model model) {
        model.addAttribute("filter", filter);
        model.addAttribute("sources", Arrays.stream(LeadIntake.Source.values()).map(Enum::name).toList());
        model.addAttribute("statuses", LeadDirectory.STATUSES.stream().sorted().toList());
        model.addAttribute("campaigns", campaigns.list().stream().map(Campaigns.Campaign::name).toList());
        model.addAttribute("sequences", sequences.list());
        ConsoleCalls.Result<?> page = calls.call(() -> leads.list(blank(filter.q()), blank(filter.source()), blank(filter.status()),
                blank(filter.campaign()), filter.pageOrFirst(), PAGE_SIZE));
        model.addAttribute("page", page.value());
        if (page.error() != null) {
            model.addAttribute("error", page.error());
        }
        return "console/leads";
    }

    /**
     * Bulk enrollment of the ticked leads or of the whole filtered list: "preview" shows the counts on
     * the page, "enroll" enrolls and says what happened.
     */
    @PostMapping("/console/leads/bulk-enroll")
    public String bulkEnroll(Filter filter, @RequestParam("sequenceId") long sequenceId,
            @RequestParam(name = "scope", defaultValue = "selected") String scope,
            @RequestParam(name = "leadIds", required = false) List<Long> leadIds,
            @RequestParam(name = "enrollCampaign", required = false) String campaign,
            @RequestParam(name = "action", defaultValue = "preview") String action, Model model) {
        boolean all = scope.equals("filter");
        boolean preview = !action.equals("enroll");
        if (!all && (leadIds == null || leadIds.isEmpty())) {
            model.addAttribute("bulkError", "Tick at least one lead, or choose every lead the filter finds.");
        } else {
            ConsoleCalls.Result<BulkEnrollApi.BulkEnrollResult> result = calls.call(() -> bulk.bulkEnroll(sequenceId,
                    calls.valid(new BulkEnrollApi.BulkEnrollRequest(all ? null : leadIds, all ? filter.api() : null, blank(campaign),
                            preview))));
            model.addAttribute("bulk", result.value());
            model.addAttribute("bulkError", result.error());
        }
        model.addAttribute("chosenSequence", sequenceId);
        model.addAttribute("chosenScope", all ? "filter" : "selected");
        model.addAttribute("chosenLeads", leadIds == null ? List.of() : leadIds);
        model.addAttribute("chosenCampaign", campaign);
        return list(filter, model);
    }

    @GetMapping("/console/leads/{id}")
    public String lead(@PathVariable("id") long id, Model model) {
        model.addAttribute("lead", details.get(id));
        model.addAttribute("timeline", details.timeline(id));
        model.addAttribute("kinds", KINDS);
        model.addAttribute("sequences", sequences.list());
        model.addAttribute("campaigns", campaigns.list().stream().map(Campaigns.Campaign::name).toList());
        return "console/lead";
    }

    @PostMapping("/console/leads/{id}/enroll")
    public String enroll(@PathVariable("id") long id, @RequestParam("sequenceId") long sequenceId,
            @RequestParam(name = "campaign", required = false) String campaign, RedirectAttributes flash) {
        calls.attempt(flash, "Enrolled.", () -> {
            var answer = sequencesApi.enroll(sequenceId, calls.valid(new SequencesApi.EnrollRequest(id, blank(campaign))));
            if (!answer.getStatusCode().is2xxSuccessful()) {
                throw new ConsoleCalls.Refused(answer.getBody() instanceof ProblemDetail p
                        ? p.getDetail()
                        : "no sequence " + sequenceId);
            }
        });
        return "redirect:/console/leads/" + id;
    }

    @PostMapping("/console/leads/{id}/enrollments/{enrollment}/{action}")
    public String enrollment(@PathVariable("id") long id, @PathVariable("enrollment") long enrollment,
            @PathVariable("action") String action,
            Principal who, RedirectAttributes flash) {
        switch (action) {
            case "pause" -> calls.attempt(flash, "Enrollment paused.", () -> details.pause(enrollment, who));
            case "resume" -> calls.attempt(flash, "Enrollment resumed.", () -> details.resume(enrollment));
            case "end" -> calls.attempt(flash, "Enrollment ended.", () -> details.end(enrollment, who));
            default -> throw new IllegalArgumentException("action must be pause, resume or end");
        }
        return "redirect:/console/leads/" + id;
    }

    @PostMapping("/console/leads/{id}/do-not-contact")
    public String doNotContact(@PathVariable("id") long id, @RequestParam(name = "reason", required = false) String reason, Principal who,
            RedirectAttributes flash) {
        calls.attempt(flash, "Marked do-not-contact: nothing more is sent to this lead.",
                () -> details.markDoNotContact(id, calls.valid(new LeadDetailsApi.DoNotContactRequest(blank(reason))), who));
        return "redirect:/console/leads/" + id;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
