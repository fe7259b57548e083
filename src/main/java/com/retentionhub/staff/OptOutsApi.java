package com.retentionhub.staff;

import com.retentionhub.consent.OptOutList;
import com.retentionhub.consent.ReConsent;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.CsvWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The opt-out list (who must not be contacted, by date and channel, as JSON pages or one CSV export) and the re-consent requests. */
@RestController
@RequestMapping("/api")
public class OptOutsApi {

    private static final Set<String> CHANNELS = Set.copyOf(Channel.codes());
    /** An export holds at most this many rows; narrow the dates for more. */
    static final int MAX_EXPORT = 100_000;
    private static final MediaType CSV = MediaType.parseMediaType("text/csv;charset=UTF-8");

    /** A page of re-consent requests waiting for staff. */
    public record ConsentRequestPage(String rule, List<ReConsent.Request> items, int page, int size, long total) {}

    private final OptOutList list;
    private final BusinessProfile business;
    private final ReConsent reConsent;

    public OptOutsApi(OptOutList list, BusinessProfile business, ReConsent reConsent) {
        this.list = list;
        this.business = business;
        this.reConsent = reConsent;
    }

    /** Under the "staff" re-consent rule: who texted START and waits for staff to confirm (POST /api/consent/{phone}). */
    @GetMapping("/consent/requests")
    public ConsentRequestPage requests(@RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "50") int size) {
        Paging.check(page, size);
        return new ConsentRequestPage(reConsent.rule().name().toLowerCase(Locale.ROOT), reConsent.pending(page, size), page, size,
                reConsent.pendingCount());
    }

    @GetMapping("/consent")
    public ResponseEntity<?> optOuts(@RequestParam(name = "status") String status,
            @RequestParam(name = "channel", required = false) String channel,
            @RequestParam(name = "from", required = false) String from, @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "page", defaultValue = "0") int page, @RequestParam(name = "size", defaultValue = "50") int size,
            @RequestParam(name = "format", required = false) String format,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        if (!"opted_out".equals(status.trim().toLowerCase(Locale.ROOT))) {
            throw ApiProblem.badRequest("status must be opted_out (one phone's consent is GET /api/consent/{phone})");
        }
        String ch = channel == null || channel.isBlank() ? null : channel.trim().toLowerCase(Locale.ROOT);
        if (ch != null && !CHANNELS.contains(ch)) {
            throw ApiProblem.badRequest("channel must be sms, email or voice");
        }
        String f = format != null ? format.trim().toLowerCase(Locale.ROOT) : accept != null && accept.contains("text/csv") ? "csv" : "json";
        if (!f.equals("csv") && !f.equals("json")) {
            throw ApiProblem.badRequest("format must be json or csv");
        }
        Instant since = day(from, "from", 0);
        Instant until = day(to, "to", 1); // "to" is the last day included
        if (since != null && until != null && !since.isBefore(until)) {
            throw ApiProblem.badRequest("from is after to");
        }
        if (f.equals("csv")) {
            OptOutList.Page all = list.find(new OptOutList.Query(ch, since, until, 0, MAX_EXPORT));
            List<Map<String, Object>> rows = all.items().stream().map(o -> {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("phone", o.phone());
                row.put("name", o.name());
                row.put("channel", o.channel());
                row.put("optedOutAt", o.optedOutAt());
                row.put("source", o.source());
                row.put("text", o.text());
                return row;
            }).toList();
            return ResponseEntity.ok().contentType(CSV).header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"opt-outs.csv\"")
                    .body(CsvWriter.write(List.of("phone", "name", "channel", "optedOutAt", "source", "text"), rows));
        }
        Paging.check(page, size);
        OptOutList.Page found = list.find(new OptOutList.Query(ch, since, until, page, size));
        return ResponseEntity.ok(new ApiViews.OptOutPage(found.items(), page, size, found.total()));
    }

    /** A date in the business's time zone (its start, or the next day's start for an inclusive end). */
    private Instant day(String value, String name, int plusDays) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim()).plusDays(plusDays).atStartOfDay(business.zone()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiProblem.badRequest(name + " must be a date (YYYY-MM-DD)");
        }
    }
}
