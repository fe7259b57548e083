package com.retentionhub.staff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.batch.Audiences;
import com.retentionhub.batch.Runs;
import com.retentionhub.lead.WarmLeads;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.template.MessageTemplates;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Paced batches: re-engagement runs chosen by a rule, the daily cold batch that farms warm leads,
 * and follow-ups to warm leads. Every batch is a {@link Runs run}: launched, watched, cancelled.
 */
@RestController
@RequestMapping("/api")
public class BatchesApi {

    /** Who a re-engagement run is for. */
    public record RuleRequest(
            @Size(max = 3) List<@Pattern(regexp = "(?i)active|paused|cancelled", message = "must be active, paused or cancelled") String> serviceStatus,
            @Min(0) @Max(36_500) Integer minDaysSinceCancelled, @Min(0) @Max(36_500) Integer maxDaysSinceCancelled,
            @Min(0) @Max(36_500) Integer minDaysSinceLastService, @Min(0) @Max(36_500) Integer maxDaysSinceLastService,
            @Size(max = 20) List<@NotBlank @Size(max = 40) String> tags) {}

    public record PreviewRequest(@NotNull @Valid RuleRequest rule, @Min(1) @Max(100_000) Integer limit) {}

    /** A re-engagement run: rule, template, pace (messages a minute), and at most {@code maxActive} conversations awaiting a reply. */
    public record RunRequest(@NotNull @Valid RuleRequest rule, @NotBlank @Size(max = 1600) String template,
            @Size(max = 100) String campaign,
            @NotNull @Min(1) @Max(6_000) Integer pacePerMinute, @Min(1) @Max(100_000) Integer maxActive,
            @Min(1) @Max(43_200) Integer replyWindowMinutes, @Min(1) @Max(100_000) Integer dailyCap) {}

    /** The daily cold batch; every field has a configured default. */
    public record DailyRequest(@Min(1) @Max(10_000) Integer size, @Size(max = 1600) String template, @Size(max = 100) String campaign,
            @Min(1) @Max(6_000) Integer pacePerMinute) {}

    /** A follow-up to warm leads, all or one campaign's. */
    public record WarmMessageRequest(@NotBlank @Size(max = 1600) String template, @Size(max = 100) String campaign,
            @Min(1) @Max(6_000) Integer pacePerMinute, @Min(1) @Max(100_000) Integer maxActive, @Min(1) @Max(100_000) Integer dailyCap) {}

    private final Audiences audiences;
    private final Runs runs;
    private final WarmLeads warmLeads;
    private final MessageTemplates templates;
    private final BusinessProfile business;
    private final ObjectMapper json;
    private final Clock clock;
    private final int dailySize;
    private final int recontactDays;
    private final String dailyCampaign;
    private final String dailyTemplate;
    private final int defaultPace;
    private final int replyWindowMinutes;

    public BatchesApi(Audiences audiences, Runs runs, WarmLeads warmLeads, MessageTemplates templates, BusinessProfile business,
            ObjectMapper json,
            Clock clock, @Value("${hub.batches.daily-size}") int dailySize, @Value("${hub.batches.recontact-days}") int recontactDays,
            @Value("${hub.batches.daily-campaign}") String dailyCampaign, @Value("${hub.batches.daily-template}") String dailyTemplate,
            @Value("${hub.batches.pace-per-minute}") int defaultPace,
            @Value("${hub.batches.reply-window-minutes}") int replyWindowMinutes) {
        this.audiences = audiences;
        this.runs = runs;
        this.warmLeads = warmLeads;
        this.templates = templates;
        this.business = business;
        this.json = json;
        this.clock = clock;
        this.dailySize = dailySize;
        this.recontactDays = recontactDays;
        this.dailyCampaign = dailyCampaign;
        this.dailyTemplate = dailyTemplate;
        this.defaultPace = defaultPace;
        this.replyWindowMinutes = replyWindowMinutes;
    }

    @PostMapping("/reach-out/preview")
    public Audiences.Preview preview(@Valid @RequestBody PreviewRequest request) {
        return audiences.reachOut(rule(request.rule()), request.limit() == null ? 200 : request.limit());
    }

    @PostMapping("/reach-out/runs")
    public ResponseEntity<Runs.Progress> launch(@Valid @RequestBody RunRequest request, Principal who) {
        validate(request.template(), false);
        Audiences.Rule rule = rule(request.rule());
        List<String> phones = audiences.reachOut(rule, Integer.MAX_VALUE).candidates().stream().map(Audiences.Candidate::phone).toList();
        long id = runs
                .launch(new Runs.Launch("reach-out", campaign(request.campaign(), "reach-out"), request.template(), asJson(request.rule()),
                        request.pacePerMinute(), request.maxActive(), window(request.replyWindowMinutes()), Caller.of(who), null, phones,
                        cap(request.dailyCap()),
                        "no customer matches the rule and can be texted (opted out, stopped or invalid numbers are left out)"));
        return ResponseEntity.status(HttpStatus.CREATED).body(runs.progress(id).orElseThrow());
    }

    @GetMapping("/reach-out/runs")
    public List<Runs.Progress> runs(@RequestParam(name = "kind", required = false) String kind,
            @RequestParam(name = "limit", defaultValue = "50") int limit) {
        if (kind != null && !List.of("reach-out", "daily-batch", "warm-leads").contains(kind)) {
            throw ApiProblem.badRequest("kind must be reach-out, daily-batch or warm-leads");
        }
        Paging.check(0, limit);
        return runs.list(kind, limit);
    }

    @GetMapping("/reach-out/runs/{id}")
    public Runs.Progress run(@PathVariable("id") long id) {
        return runs.progress(id).orElseThrow(() -> ApiProblem.notFound("run", id));
    }

    /** Cancels what has not gone yet; what already left stays counted. */
    @DeleteMapping("/reach-out/runs/{id}")
    public Runs.Progress cancel(@PathVariable("id") long id) {
        if (!runs.cancel(id)) {
            throw ApiProblem.notFound("run", id);
        }
        return run(id);
    }

    /**
     * Today's cold batch: the next numbers of the imported list. One run per day in the business's
     * time zone: a second call the same day answers the same run (200) and adds no one.
     */
    @PostMapping("/batches/daily")
    public ResponseEntity<Runs.Progress> daily(@Valid @RequestBody(required = false) DailyRequest request, Principal who) {
        DailyRequest r = request == null ? new DailyRequest(null, null, null, null) : request;
        String template = r.template() == null ? dailyTemplate : r.template();
        validate(template, true);
        LocalDate today = LocalDate.ofInstant(clock.instant(), business.zone());
        var existing = runs.runOn("daily-batch", today);
        if (existing.isPresent()) {
            return ResponseEntity.ok(runs.progress(existing.get()).orElseThrow());
        }
        List<String> phones = audiences.coldList(r.size() == null ? dailySize : r.size(), recontactDays);
        try {
            long id = runs.launch(new Runs.Launch("daily-batch", campaign(r.campaign(), dailyCampaign), template, null,
                    r.pacePerMinute() == null ? defaultPace : r.pacePerMinute(), null, replyWindowMinutes, Caller.of(who), today, phones,
                    null,
                    "no number left on the imported cold list that was not texted in the last " + recontactDays + " days"));
            return ResponseEntity.status(HttpStatus.CREATED).body(runs.progress(id).orElseThrow());
        } catch (DuplicateKeyException e) {
            // Another call launched today's batch a moment ago: that run is the answer.
            return ResponseEntity.ok(runs.progress(runs.runOn("daily-batch", today).orElseThrow()).orElseThrow());
        }
    }

    @GetMapping("/warm-leads")
    public Map<String, Object> warmLeads(@RequestParam(name = "campaign", required = false) String campaign,
            @RequestParam(name = "page", defaultValue = "0") int page, @RequestParam(name = "size", defaultValue = "50") int size) {
        Paging.check(page, size);
        var found = warmLeads.list(campaign, page * size, size);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", found.getValue());
        body.put("page", page);
        body.put("size", size);
        body.put("total", found.getKey());
        return body;
    }

    /** Warm leads today and in the last 7 days (today included), per day in the business's time zone. */
    @GetMapping("/warm-leads/counts")
    public Map<String, Object> warmLeadCounts() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), business.zone());
        var days = warmLeads.perDay(today.minusDays(6), today, business.zone());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("today", days.get(today));
        body.put("last7Days", days.values().stream().mapToInt(Integer::intValue).sum());
        body.put("perDay", days.entrySet().stream().map(e -> Map.of("day", e.getKey().toString(), "warmLeads", e.getValue())).toList());
        return body;
    }

    @PostMapping("/warm-leads/message")
    public ResponseEntity<Runs.Progress> messageWarmLeads(@Valid @RequestBody WarmMessageRequest request, Principal who) {
        validate(request.template(), false);
        String campaign = request.campaign() == null ? null : request.campaign().trim();
        List<String> phones = audiences.warmLeads(campaign);
        long id = runs.launch(new Runs.Launch("warm-leads", campaign(campaign, "warm-leads"), request.template(), null,
                request.pacePerMinute() == null ? defaultPace : request.pacePerMinute(), request.maxActive(), replyWindowMinutes,
                Caller.of(who), null,
                phones, cap(request.dailyCap()), "no warm lead" + (campaign == null ? "" : " of campaign " + campaign) + " can be texted"));
        return ResponseEntity.status(HttpStatus.CREATED).body(runs.progress(id).orElseThrow());
    }

    /** Each target of a run with its outcome: sent, held (why, next attempt), waiting (why), skipped (why), failed (why) or cancelled. */
    @GetMapping("/reach-out/runs/{id}/recipients")
    public RunRecipients recipients(@PathVariable("id") long id, @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "200") int size) {
        Paging.check(page, size);
        Runs.Progress run = run(id);
        return new RunRecipients(id, run.status(), run.waiting(), runs.recipients(id, page, size), page, size, run.total());
    }

    /** A page of a run's recipients, with the run's status and what it waits for. */
    public record RunRecipients(long runId, String status, String waiting, List<Runs.Recipient> items, int page, int size, int total) {}

    /** A run's daily cap: as asked, else the cold batch's daily size. */
    private int cap(Integer asked) {
        return asked == null ? dailySize : asked;
    }

    /** A cold text must tell the recipient how to opt out. */
    private void validate(String template, boolean cold) {
        try {
            templates.validate(template);
        } catch (MessageTemplates.TemplateException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        if (cold && !template.toUpperCase(Locale.ROOT).contains("STOP")) {
            throw ApiProblem.badRequest("a text to a cold list must say how to opt out (e.g. \"Reply STOP to opt out\")");
        }
    }

    private static Audiences.Rule rule(RuleRequest r) {
        if (r.minDaysSinceCancelled() != null && r.maxDaysSinceCancelled() != null
                && r.minDaysSinceCancelled() > r.maxDaysSinceCancelled()) {
            throw ApiProblem.badRequest("minDaysSinceCancelled is more than maxDaysSinceCancelled");
        }
        if (r.minDaysSinceLastService() != null && r.maxDaysSinceLastService() != null
                && r.minDaysSinceLastService() > r.maxDaysSinceLastService()) {
            throw ApiProblem.badRequest("minDaysSinceLastService is more than maxDaysSinceLastService");
        }
        return new Audiences.Rule(
                r.serviceStatus() == null ? null : r.serviceStatus().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
                r.minDaysSinceCancelled(), r.maxDaysSinceCancelled(), r.minDaysSinceLastService(), r.maxDaysSinceLastService(),
                r.tags() == null ? null : r.tags().stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList());
    }

    private String asJson(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private int window(Integer minutes) {
        return minutes == null ? replyWindowMinutes : minutes;
    }

    private static String campaign(String given, String fallback) {
        return given == null || given.isBlank() ? fallback : given.trim();
    }
}
