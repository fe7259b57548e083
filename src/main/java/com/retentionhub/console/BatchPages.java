package com.retentionhub.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.batch.Runs;
import com.retentionhub.staff.BatchesApi;
import jakarta.servlet.http.HttpServletResponse;
import java.security.Principal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Reach-out (rule, preview, launch, live progress, cancel) and warm-lead farming (counts, list, daily batch, message-all). */
@Controller
public class BatchPages {

    /** htmx stops polling an element when it answers 286: a finished run's bar stops asking. */
    private static final int STOP_POLLING = 286;

    private final BatchesApi api;
    private final ConsoleCalls calls;
    private final int dailySize;
    private final String dailyTemplate;
    private final int defaultPace;

    public BatchPages(BatchesApi api, ConsoleCalls calls, @Value("${hub.batches.daily-size}") int dailySize,
            @Value("${hub.batches.daily-template}") String dailyTemplate, @Value("${hub.batches.pace-per-minute}") int defaultPace) {
        this.api = api;
        this.calls = calls;
        this.dailySize = dailySize;
        this.dailyTemplate = dailyTemplate;
        this.defaultPace = defaultPace;
    }

    /** The reach-out form's fields; blank ones are left out of the rule. */
    public record RuleForm(String serviceStatus, Integer minDaysSinceCancelled, Integer maxDaysSinceCancelled,
            Integer minDaysSinceLastService,
            Integer maxDaysSinceLastService, String tags, String template, String campaign, Integer pacePerMinute, Integer maxActive) {

        BatchesApi.RuleRequest rule() {
            String status = ConversationPages.blank(serviceStatus);
            List<String> tagList = tags == null
                    ? List.of()
                    : Arrays.stream(tags.split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList();
            return new BatchesApi.RuleRequest(status == null ? null : List.of(status), minDaysSinceCancelled, maxDaysSinceCancelled,
                    minDaysSinceLastService, maxDaysSinceLastService, tagList.isEmpty() ? null : tagList);
        }
    }

    @GetMapping("/console/reach-out")
    public String reachOut(Model model) {
        model.addAttribute("runs", api.runs(null, 20));
        model.addAttribute("defaultPace", defaultPace);
        return "console/reach-out";
    }

    @PostMapping("/console/reach-out/preview")
    public String preview(RuleForm form, Model model) {
        ConsoleCalls.Result<?> preview = calls.call(() -> api.preview(calls.valid(new BatchesApi.PreviewRequest(form.rule(), 50))));
        model.addAttribute("preview", preview.value());
        model.addAttribute("error", preview.error());
        return "console/reach-out :: preview";
    }

    @PostMapping("/console/reach-out/runs")
    public String launch(RuleForm form, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Run launched.", () -> api.launch(calls.valid(new BatchesApi.RunRequest(form.rule(), form.template(),
                ConversationPages.blank(form.campaign()), form.pacePerMinute(), form.maxActive(), null, null)), who));
        return "redirect:/console/reach-out";
    }

    /**
     * One run's progress bar; polled every second until the run is over. Opened directly (a link,
     * a bookmark, no {@code HX-Request}) it is a whole page in the console's frame.
     */
    @GetMapping("/console/runs/{id}")
    public String run(@PathVariable("id") long id, Model model, HttpServletResponse response,
            @RequestHeader(name = "HX-Request", required = false) String htmx) {
        Runs.Progress run = api.run(id);
        model.addAttribute("run", run);
        if (htmx == null) {
            return "console/run";
        }
        if (!Runs.RUNNING.equals(run.status()) && percent(run) == 100) {
            response.setStatus(STOP_POLLING);
        }
        return "console/run :: run";
    }

    @PostMapping("/console/runs/{id}/cancel")
    public String cancel(@PathVariable("id") long id, @RequestParam(name = "back", defaultValue = "reach-out") String back,
            RedirectAttributes flash) {
        calls.attempt(flash, "Run cancelled: nothing more leaves from it.", () -> api.cancel(id));
        return "redirect:/console/" + ("warm-leads".equals(back) ? "warm-leads" : "reach-out");
    }

    @GetMapping("/console/warm-leads")
    public String warmLeads(@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
        Map<String, Object> counts = api.warmLeadCounts();
        model.addAttribute("counts", counts);
        model.addAttribute("warmChart", perDayChart(counts));
        model.addAttribute("leads", api.warmLeads(null, Math.max(page, 0), 50));
        List<Runs.Progress> runs = new ArrayList<>(api.runs("daily-batch", 7));
        runs.addAll(api.runs("warm-leads", 7));
        model.addAttribute("runs", runs);
        model.addAttribute("dailySize", dailySize);
        model.addAttribute("dailyTemplate", dailyTemplate);
        return "console/warm-leads";
    }

    @PostMapping("/console/warm-leads/daily")
    public String daily(@RequestParam(name = "size", required = false) Integer size, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Today's batch is running.",
                () -> api.daily(calls.valid(new BatchesApi.DailyRequest(size, null, null, null)), who));
        return "redirect:/console/warm-leads";
    }

    @PostMapping("/console/warm-leads/message")
    public String messageAll(@RequestParam("template") String template, @RequestParam(name = "campaign", required = false) String campaign,
            Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Follow-up to warm leads launched.",
                () -> api.messageWarmLeads(calls.valid(new BatchesApi.WarmMessageRequest(template,
                        ConversationPages.blank(campaign), null, null, null)), who));
        return "redirect:/console/warm-leads";
    }

    /** The last seven days' warm leads as the learning page's charts take them: {labels: ["Nov 12", ...], series: [{name, data}]}. */
    @SuppressWarnings("unchecked")
    static String perDayChart(Map<String, Object> counts) {
        List<Map<String, Object>> days = (List<Map<String, Object>>) counts.get("perDay");
        DateTimeFormatter label = DateTimeFormatter.ofPattern("MMM d", Locale.US);
        try {
            return JSON.writeValueAsString(
                    Map.of("labels", days.stream().map(d -> label.format(LocalDate.parse((String) d.get("day")))).toList(),
                            "series", List.of(Map.of("name", "warm leads", "data", days.stream().map(d -> d.get("warmLeads")).toList()))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Share of a run's targets that are settled (sent, failed, skipped or cancelled), 0-100; pages read it as {@code @batchPages.percent(run)}. */
    public int percent(Runs.Progress run) {
        if (run.total() == 0) {
            return 100;
        }
        int settled = run.sent() + run.failed() + run.skipped() + run.cancelled();
        return Math.min(100, settled * 100 / run.total());
    }
}
