package com.retentionhub.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.SqlValues;
import com.retentionhub.staff.AbTestsApi;
import com.retentionhub.staff.AnalyticsApi;
import com.retentionhub.staff.SequencesApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * What the hub has learned, drawn from the analytics API's own views: overview cards, the funnel,
 * per-step drop-off, the send heatmap, A/B tests with their verdicts and word performance. Charts
 * are drawn in the page by Chart.js from data attributes (escaped, so a customer's words cannot
 * become markup).
 */
@Controller
public class LearningPages {

    private final AnalyticsApi analytics;
    private final AbTestsApi abTests;
    private final ObjectMapper json;
    private final ConsoleCalls calls;
    private final SequencesApi sequences;

    public LearningPages(AnalyticsApi analytics, AbTestsApi abTests, ObjectMapper json, ConsoleCalls calls,
            SequencesApi sequences) {
        this.sequences = sequences;
        this.analytics = analytics;
        this.abTests = abTests;
        this.json = json;
        this.calls = calls;
    }

    @GetMapping("/console/learning")
    public String learning(@RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "sequence", required = false) Long sequence, Model model) throws JsonProcessingException {
        Map<String, String> filter = new HashMap<>();
        if (ConversationPages.blank(from) != null) {
            filter.put("from", from.trim());
        }
        if (ConversationPages.blank(to) != null) {
            filter.put("to", to.trim());
        }
        var all = sequences.list();
        if (sequence != null) {
            filter.put("sequence", sequence.toString());
        }
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("sequence", sequence);
        model.addAttribute("sequences", all);
        ConsoleCalls.Result<Map<String, Object>> overview = calls.call(() -> view("overview", filter));
        if (overview.error() != null) {
            model.addAttribute("error", overview.error()); // a bad range: the form says why, nothing else is drawn
            return "console/learning";
        }
        model.addAttribute("overview", overview.value());
        Map<String, Object> funnel = view("funnel", filter);
        // Step N of one sequence is not step N of another: without a chosen sequence (and with more than
        // one), the steps are left out and the drop-off is between the stages shown.
        List<Map<String, Object>> stages = sequence == null && all.size() > 1 ? withoutSteps(rows(funnel)) : rows(funnel);
        model.addAttribute("funnel", funnel);
        model.addAttribute("stages", stages);
        model.addAttribute("stepsLeftOut", stages.size() < rows(funnel).size());
        model.addAttribute("funnelChart", chart(stages, "stage", "leads"));
        Map<String, Object> steps = view("steps", filter);
        model.addAttribute("steps", steps);
        model.addAttribute("stepsChart", stepChart(rows(steps)));
        model.addAttribute("heatmap", heatmap(rows(view("heatmap", filter))));
        Map<String, String> words = new HashMap<>(filter);
        words.put("minSample", "5");
        words.put("limit", "20");
        model.addAttribute("words", view("words", words));
        model.addAttribute("abTests", abTests.list());
        return "console/learning";
    }

    /** The funnel's stages but the per-step ones, each stage's drop-off taken from the stage shown before it. */
    static List<Map<String, Object>> withoutSteps(List<Map<String, Object>> rows) {
        List<Map<String, Object>> kept = new ArrayList<>();
        Long previous = null;
        for (Map<String, Object> r : rows) {
            if (String.valueOf(r.get("stage")).startsWith("step ")) {
                continue;
            }
            long n = SqlValues.toLong(r.get("leads"));
            Map<String, Object> row = new HashMap<>(r);
            row.put("dropOff", previous == null ? null : previous - n);
            row.put("dropOffRate", previous == null || previous == 0 ? null : (double) (previous - n) / previous);
            kept.add(row);
            previous = n;
        }
        return kept;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> view(String name, Map<String, String> filter) {
        return (Map<String, Object>) analytics.view(name, new HashMap<>(filter), null).getBody();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Map<String, Object> report) {
        return (List<Map<String, Object>>) report.get("rows");
    }

    private String chart(List<Map<String, Object>> rows, String label, String value) throws JsonProcessingException {
        return json.writeValueAsString(Map.of("labels", rows.stream().map(r -> String.valueOf(r.get(label))).toList(),
                "series", List.of(Map.of("name", value, "data", rows.stream().map(r -> r.get(value)).toList()))));
    }

    /** Per step: how many it reached and how many dropped out there. */
    private String stepChart(List<Map<String, Object>> rows) throws JsonProcessingException {
        return json.writeValueAsString(
                Map.of("labels", rows.stream().map(r -> r.get("sequence") + " #" + r.get("position") + " " + r.get("channel")).toList(),
                        "series", List.of(Map.of("name", "executed", "data", rows.stream().map(r -> r.get("executed")).toList()),
                                Map.of("name", "dropped", "data", rows.stream().map(r -> r.get("dropped")).toList()))));
    }

    /** The SMS heatmap (the busiest channel when there is no SMS) as 7 rows of 24 cells, each with sends, conversions and a 0-4 shade. */
    static List<Map<String, Object>> heatmap(List<Map<String, Object>> rows) {
        Map<String, Long> sendsByChannel = new HashMap<>();
        rows.forEach(r -> sendsByChannel.merge((String) r.get("channel"), SqlValues.toLong(r.get("sends")), Long::sum));
        String channel = sendsByChannel.containsKey(Channel.SMS.code())
                ? Channel.SMS.code()
                : sendsByChannel.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        long max = rows.stream().filter(r -> r.get("channel").equals(channel)).mapToLong(r -> SqlValues.toLong(r.get("sends"))).max()
                .orElse(0);
        List<Map<String, Object>> days = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            if (!r.get("channel").equals(channel)) {
                continue;
            }
            if ((int) r.get("hour") == 0) {
                days.add(new HashMap<>(Map.of("day", r.get("day"), "channel", channel, "cells", new ArrayList<Map<String, Object>>())));
            }
            long sends = SqlValues.toLong(r.get("sends"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cells = (List<Map<String, Object>>) days.get(days.size() - 1).get("cells");
            cells.add(Map.of("hour", r.get("hour"), "sends", sends, "conversions", r.get("conversions"),
                    "shade", max == 0 || sends == 0 ? 0 : 1 + (int) (3 * sends / max)));
        }
        return days;
    }
}
