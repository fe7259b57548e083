package com.retentionhub.analytics;

import static com.retentionhub.analytics.Report.row;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.conversation.AiReplies;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.platform.SqlValues;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The figures said in plain words (weakest step, best hour, best channel, words to use or avoid),
 * and a draft script per channel: the best-converting script of that channel, with the phrases that
 * sell added and the ones that do not flagged; rewritten by the model when one is configured (and
 * kept only if it passes the same checks a script must pass).
 */
@Component
public class Insights {

    private static final Logger LOG = LoggerFactory.getLogger(Insights.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern FIELD = Pattern.compile("\\{\\{\\s*([a-zA-Z]+)\\s*}}");
    /** A step's figures are not worth a sentence below this many leads. */
    static final int MIN_LEADS = 20;

    private final SendAnalytics sends;
    private final SequenceAnalytics sequences;
    private final WordStats words;
    private final Scripts scripts;
    private final ProducerTemplate producer;
    private final boolean modelConfigured;
    private final AnalyticsReads reads;
    /** The figures an insight needs are independent queries: they run side by side, each in its own read. */
    private final ExecutorService parts = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "analytics-part");
        t.setDaemon(true);
        return t;
    });

    @Autowired
    public Insights(SendAnalytics sends, SequenceAnalytics sequences, WordStats words, Scripts scripts, ProducerTemplate producer,
            HubProperties properties, AnalyticsReads reads) {
        this(sends, sequences, words, scripts, producer, properties.llm().enabled(), reads);
    }

    Insights(SendAnalytics sends, SequenceAnalytics sequences, WordStats words, Scripts scripts, ProducerTemplate producer,
            boolean modelConfigured,
            AnalyticsReads reads) {
        this.reads = reads;
        this.sends = sends;
        this.sequences = sequences;
        this.words = words;
        this.scripts = scripts;
        this.producer = producer;
        this.modelConfigured = modelConfigured;
    }

    private <T> CompletableFuture<T> part(Supplier<T> query) {
        return CompletableFuture.supplyAsync(() -> reads.read(query), parts);
    }

    public Report insights(AnalyticsFilter f) {
        CompletableFuture<Report> overviewPart = part(() -> sends.overview(f));
        CompletableFuture<List<Map<String, Object>>> stepsPart = part(() -> sequences.dropOff(f));
        CompletableFuture<Map<String, long[][]>> cellsPart = part(() -> sends.cells(f));
        CompletableFuture<Report> wordsPart = part(() -> words.words(f, 30, 1000));
        List<Map<String, Object>> rows = new ArrayList<>();
        Report overview = overviewPart.join();
        String best = (String) overview.summary().get("bestChannel");
        if (best != null) {
            String others = overview.rows().stream().filter(r -> !best.equals(r.get("channel")) && r.get("conversionRate") != null)
                    .map(r -> r.get("channel") + " " + percent(r.get("conversionRate"))).reduce((a, b) -> a + ", " + b)
                    .map(s -> " (" + s + ")").orElse("");
            Map<String, Object> b = overview.rows().stream().filter(r -> best.equals(r.get("channel"))).findFirst().orElseThrow();
            rows.add(row("topic", "best channel", "subject", best, "figure", b.get("conversionRate"),
                    "insight",
                    best + " converts best: " + percent(b.get("conversionRate")) + " of the people it reached bought" + others + "."));
        }
        stepsPart.join().stream().filter(r -> SqlValues.toLong(r.get("entered")) >= MIN_LEADS && SqlValues.toLong(r.get("dropped")) > 0)
                .max(Comparator.comparingDouble(r -> (double) SqlValues.toLong(r.get("dropped")) / SqlValues.toLong(r.get("entered"))))
                .ifPresent(r -> {
                    double share = (double) SqlValues.toLong(r.get("dropped")) / SqlValues.toLong(r.get("entered"));
                    rows.add(row("topic", "weakest step", "subject", r.get("sequence") + " step " + r.get("position"), "figure",
                            Report.round(share),
                            "insight",
                            "Step " + r.get("position") + " of " + r.get("sequence") + " (" + r.get("channel") + ", script "
                                    + r.get("script")
                                    + ") loses the most leads: " + percent(share) + " of those who reach it leave the sequence there."));
                });
        Map<String, long[][]> cells = cellsPart.join();
        String hourChannel = best != null && cells.containsKey(best) ? best : cells.keySet().stream().findFirst().orElse(null);
        if (hourChannel != null) {
            SendAnalytics.bestHour(cells.get(hourChannel), MIN_LEADS, 1).ifPresent(h -> {
                long[] hour = hourTotals(cells.get(hourChannel), h);
                rows.add(row("topic", "best hour", "subject", hourChannel, "figure", h,
                        "insight",
                        "For " + hourChannel + ", sends at " + String.format("%02d:00", h) + " convert best: "
                                + percent((double) hour[1] / hour[0])
                                + " of " + hour[0] + " sends."));
            });
        }
        Report w = wordsPart.join();
        List<?> use = (List<?>) w.summary().get("use");
        List<?> avoid = (List<?>) w.summary().get("avoid");
        if (!use.isEmpty()) {
            rows.add(row("topic", "words to use", "subject", String.join(", ", strings(use)), "figure", liftOf(w, (String) use.get(0)),
                    "insight", "Texts with \"" + use.get(0) + "\" convert " + liftOf(w, (String) use.get(0)) + "x as often as the rest"
                            + (use.size() > 1 ? "; also " + quoted(use.subList(1, use.size())) : "") + "."));
        }
        if (!avoid.isEmpty()) {
            rows.add(
                    row("topic", "words to avoid", "subject", String.join(", ", strings(avoid)), "figure", liftOf(w, (String) avoid.get(0)),
                            "insight",
                            "Texts with \"" + avoid.get(0) + "\" convert only " + liftOf(w, (String) avoid.get(0))
                                    + "x as often as the rest"
                                    + (avoid.size() > 1 ? "; also " + quoted(avoid.subList(1, avoid.size())) : "") + "."));
        }
        return new Report("insights", f.describe(), Map.of("insights", rows.size()), rows);
    }

    /** Per channel (SMS, email): the base script, phrases to add and to drop, and the draft. */
    public Report drafts(AnalyticsFilter f) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, CompletableFuture<Report>> stepsBy = new LinkedHashMap<>();
        Map<String, CompletableFuture<Report>> wordsBy = new LinkedHashMap<>();
        for (String channel : List.of(Channel.SMS.code(), Channel.EMAIL.code())) {
            AnalyticsFilter byChannel = new AnalyticsFilter(f.campaign(), channel, f.from(), f.to(), f.sequence());
            stepsBy.put(channel, part(() -> sequences.steps(byChannel)));
            wordsBy.put(channel, part(() -> words.words(byChannel, 30, 1000)));
        }
        for (String channel : List.of(Channel.SMS.code(), Channel.EMAIL.code())) {
            Optional<Map<String, Object>> bestStep = stepsBy.get(channel).join().rows().stream()
                    .filter(r -> SqlValues.toLong(r.get("executed")) >= MIN_LEADS && r.get("stepConversionRate") != null)
                    .max(Comparator.comparingDouble(r -> SqlValues.toDouble(r.get("stepConversionRate"))));
            Optional<Scripts.Script> base = bestStep
                    .flatMap(r -> scripts.resolve((String) r.get("script"), stepChannel(channel), f.campaign()));
            Report w = wordsBy.get(channel).join();
            List<String> use = strings((List<?>) w.summary().get("use"));
            List<String> avoid = strings((List<?>) w.summary().get("avoid"));
            String body = base.map(Scripts.Script::body).orElse(null);
            List<String> add = use.stream().filter(t -> body == null || !body.toLowerCase(Locale.ROOT).contains(t)).toList();
            List<String> drop = avoid.stream().filter(t -> body != null && body.toLowerCase(Locale.ROOT).contains(t)).toList();
            String draft = body;
            String source = body == null ? "none" : "best script";
            if (modelConfigured && body != null && (!add.isEmpty() || !drop.isEmpty())) {
                Optional<String> rewritten = rewrite(channel, body, add, drop);
                if (rewritten.isPresent()) {
                    draft = rewritten.get();
                    source = "model";
                }
            }
            rows.add(row("channel", channel, "baseScript", base.map(Scripts.Script::name).orElse(null),
                    "baseConversionRate", bestStep.map(r -> r.get("stepConversionRate")).orElse(null), "add", String.join("; ", add),
                    "drop", String.join("; ", drop), "draft", draft, "source", source));
        }
        return new Report("drafts", f.describe(), Map.of("modelConfigured", modelConfigured), rows);
    }

    /** The model's rewrite, if it keeps every template field, stays within the channel's length and says something. */
    private Optional<String> rewrite(String channel, String body, List<String> add, List<String> drop) {
        List<ChatMessage> prompt = List.of(SystemMessage.from("""
                You improve marketing message templates for a small business. Keep every {{field}} placeholder exactly as written,
                keep any opt-out wording, keep it honest and plain. %s
                Answer with one JSON object and nothing else: {"draft": "<the new template>"}""".formatted(
                channel.equals(Channel.SMS.code()) ? "It is a text message: at most 320 characters." : "It is an email body.")),
                UserMessage.from("Template:\n" + body + "\n\nWork in these phrases, which go with more sales: " + String.join(", ", add)
                        + "\nRemove these, which go with fewer: " + String.join(", ", drop)));
        try {
            Exchange result = producer.send(AiReplies.ENDPOINT, e -> e.getMessage().setBody(prompt));
            if (result.getException() != null) {
                throw result.getException();
            }
            JsonNode node = JSON.readTree(result.getMessage().getBody(String.class));
            String draft = node.path("draft").asText("").strip();
            if (draft.isEmpty() || (channel.equals(Channel.SMS.code()) && draft.length() > 320)
                    || !fields(draft).containsAll(fields(body))) {
                LOG.info("Model draft for {} refused (empty, too long or a field lost); keeping the best script", channel);
                return Optional.empty();
            }
            return Optional.of(draft);
        } catch (Exception e) {
            LOG.info("Model draft for {} failed ({}); keeping the best script", channel, e.toString());
            return Optional.empty();
        }
    }

    private static List<String> fields(String template) {
        List<String> out = new ArrayList<>();
        Matcher m = FIELD.matcher(template);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String stepChannel(String channel) {
        return Channel.ofCode(channel).stepName();
    }

    private static long[] hourTotals(long[][] cells, int hour) {
        long[] t = new long[2];
        for (int d = 0; d < 7; d++) {
            t[0] += cells[d * 24 + hour][0];
            t[1] += cells[d * 24 + hour][1];
        }
        return t;
    }

    private static Object liftOf(Report words, String term) {
        return words.rows().stream().filter(r -> term.equals(r.get("term"))).findFirst().map(r -> r.get("lift")).orElse(null);
    }

    private static List<String> strings(List<?> list) {
        return list.stream().map(String::valueOf).toList();
    }

    private static String quoted(List<?> terms) {
        return String.join(", ", terms.stream().map(t -> "\"" + t + "\"").toList());
    }

    static String percent(Object rate) {
        return String.format(Locale.US, "%.1f%%", SqlValues.toDouble(rate) * 100);
    }
}
