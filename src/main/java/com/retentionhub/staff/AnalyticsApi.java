package com.retentionhub.staff;

import com.retentionhub.analytics.AnalyticsFilter;
import com.retentionhub.analytics.AnalyticsReads;
import com.retentionhub.analytics.ConversationAnalytics;
import com.retentionhub.analytics.Insights;
import com.retentionhub.analytics.Report;
import com.retentionhub.analytics.SendAnalytics;
import com.retentionhub.analytics.SequenceAnalytics;
import com.retentionhub.analytics.WordStats;
import com.retentionhub.platform.BusinessProfile;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The learning views, each as JSON or CSV ({@code ?format=csv} or {@code Accept: text/csv}),
 * narrowed by {@code campaign}, {@code channel}, {@code from}, {@code to} and {@code sequence}.
 */
@RestController
@RequestMapping("/api/analytics")
public class AnalyticsApi {

    private static final Set<String> SIDE_BY_SIDE = Set.of("insights", "drafts");
    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final Map<String, Function<Map<String, String>, Report>> views = new LinkedHashMap<>();
    private final WordStats words;
    private final BusinessProfile business;
    private final AnalyticsReads reads;

    public AnalyticsApi(SendAnalytics sends, SequenceAnalytics sequences, ConversationAnalytics conversations, WordStats words,
            Insights insights,
            BusinessProfile business, AnalyticsReads reads) {
        this.reads = reads;
        this.words = words;
        this.business = business;
        views.put("overview", p -> sends.overview(filter(p)));
        views.put("conversations", p -> conversations.conversations(filter(p)));
        views.put("funnel", p -> sequences.funnel(filter(p)));
        views.put("steps", p -> sequences.steps(filter(p)));
        views.put("time-to-conversion", p -> sequences.timeToConversion(filter(p)));
        views.put("heatmap", p -> sends.heatmap(filter(p)));
        views.put("words", p -> words.words(filter(p), integer(p, "minSample", 30), integer(p, "limit", 100)));
        views.put("leaderboard", p -> sequences.leaderboard(filter(p)));
        views.put("operations", p -> sequences.operations(filter(p)));
        views.put("warm-leads", p -> conversations.warmLeads(filter(p)));
        views.put("insights", p -> insights.insights(filter(p)));
        views.put("drafts", p -> insights.drafts(filter(p)));
    }

    /** The views there are. */
    @GetMapping
    public Map<String, Object> index() {
        return Map.of("views", views.keySet());
    }

    @GetMapping("/{view}")
    public ResponseEntity<?> view(@PathVariable String view, @RequestParam Map<String, String> params,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Function<Map<String, String>, Report> builder = views.get(view);
        if (builder == null) {
            throw new ApiProblem(HttpStatus.NOT_FOUND, "no analytics view " + view + "; see GET /api/analytics");
        }
        String format = params.getOrDefault("format", accept != null && accept.contains("text/csv") ? "csv" : "json");
        if (!format.equals("csv") && !format.equals("json")) {
            throw new IllegalArgumentException("format must be json or csv");
        }
        // Insights and drafts read their figures side by side, each part in a read of its own.
        Report report = SIDE_BY_SIDE.contains(view) ? builder.apply(params) : reads.read(() -> builder.apply(params));
        if (format.equals("csv")) {
            return ResponseEntity.ok().contentType(CSV).header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + view + ".csv\"")
                    .body(report.csv());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("view", report.view());
        body.put("filter", report.filter());
        body.put("summary", report.summary());
        body.put("rows", report.rows());
        return ResponseEntity.ok(body);
    }

    /** Brings the word statistics up to date now instead of at the next timer tick. */
    @PostMapping("/words/refresh")
    public Map<String, Object> refreshWords() {
        return Map.of("daysRebuilt", words.refresh());
    }

    private AnalyticsFilter filter(Map<String, String> params) {
        return AnalyticsFilter.parse(params, business.zone());
    }

    private static int integer(Map<String, String> params, String name, int fallback) {
        String v = params.get(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }
}
