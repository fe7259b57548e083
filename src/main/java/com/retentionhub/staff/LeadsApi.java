package com.retentionhub.staff;

import com.retentionhub.lead.Customers;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.lead.LeadImport;
import com.retentionhub.lead.LeadIntake;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Leads entered by staff or another system ({@code POST /api/leads}) or imported as CSV, deduplicated by phone and email. */
@RestController
@RequestMapping("/api")
public class LeadsApi {

    /** One lead: a phone or an email at least; the source defaults to API. */
    public record NewLeadRequest(@Size(max = 200) String name, @Size(max = 40) String phone, @Size(max = 320) String email,
            @Pattern(regexp = "(?i)api|manual|bulk|import", message = "must be api, manual, bulk or import") String source,
            @Size(max = 200) String subId, @Size(max = 200) String clickId) {}

    /** The largest CSV accepted in one import. */
    static final int MAX_IMPORT_BYTES = 5 * 1024 * 1024;

    private final LeadIntake intake;
    private final LeadImport imports;
    private final LeadDirectory directory;

    public LeadsApi(LeadIntake intake, LeadImport imports, LeadDirectory directory) {
        this.intake = intake;
        this.imports = imports;
        this.directory = directory;
    }

    /**
     * Leads, newest first, a page at a time: {@code q} matches name or email (or, when it looks like
     * one, the phone by its digits); {@code source}, {@code status} and {@code campaign} filter.
     */
    @Operation(summary = "List and search leads", description = "Newest first, paged (page from 0, size 1-200). q matches name or email,"
            + " or the phone's digits when q looks like a phone number; source (META, API, MANUAL, BULK, IMPORT), status"
            + " (NEW, IN_PROGRESS, CONTACTED, CONVERTED, REJECTED, DO_NOT_CONTACT) and campaign (a campaign's name) filter."
            + " An unknown source or status is a 400.")
    @GetMapping("/leads")
    public Customers.Page<LeadDirectory.Lead> list(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "source", required = false) String source, @RequestParam(name = "status", required = false) String status,
            @RequestParam(name = "campaign", required = false) String campaign, @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "50") int size) {
        String src = upper(source);
        if (src != null && Arrays.stream(LeadIntake.Source.values()).noneMatch(v -> v.name().equals(src))) {
            throw ApiProblem.badRequest("source must be one of " + Arrays.toString(LeadIntake.Source.values()));
        }
        String st = upper(status);
        if (st != null && !LeadDirectory.STATUSES.contains(st)) {
            throw ApiProblem.badRequest("status must be one of " + LeadDirectory.STATUSES.stream().sorted().toList());
        }
        Paging.check(page, size);
        return directory
                .search(new LeadDirectory.Query(q, src, st, campaign == null || campaign.isBlank() ? null : campaign.trim(), page, size));
    }

    private static String upper(String s) {
        return s == null || s.isBlank() ? null : s.trim().toUpperCase(Locale.ROOT);
    }

    /**
     * A CSV body ({@code text/csv}) with a header row; {@code ?source=bulk} marks a bulk list
     * (default IMPORT). Answers the counts and the invalid rows' numbers.
     */
    @PostMapping(path = "/leads/import", consumes = {"text/csv", "text/plain", "application/csv"})
    public ResponseEntity<Object> importCsv(@RequestBody byte[] csv,
            @RequestParam(name = "source", defaultValue = "import") String source) {
        if (csv.length > MAX_IMPORT_BYTES) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.PAYLOAD_TOO_LARGE, "at most 5 MiB per import"));
        }
        LeadIntake.Source s = switch (source.toLowerCase(Locale.ROOT)) {
            case "import" -> LeadIntake.Source.IMPORT;
            case "bulk" -> LeadIntake.Source.BULK;
            default -> throw new IllegalArgumentException("source must be import or bulk");
        };
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(csv)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the file is not UTF-8");
        }
        return ResponseEntity.ok(imports.importCsv(text, s));
    }

    /** 201 with the new lead's id, or 200 with the known lead's id for a duplicate. */
    @PostMapping("/leads")
    public ResponseEntity<Map<String, Object>> create(@Valid @RequestBody NewLeadRequest request) {
        LeadIntake.Source source = request.source() == null
                ? LeadIntake.Source.API
                : LeadIntake.Source.valueOf(request.source().toUpperCase(Locale.ROOT));
        LeadIntake.Accepted lead = intake.accept(new LeadIntake.NewLead(request.name(), request.phone(), request.email(), source, null,
                request.subId(), request.clickId()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", lead.id());
        body.put("duplicate", !lead.created());
        body.put("campaigns", lead.campaigns());
        return ResponseEntity.status(lead.created() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
    }
}
