package com.retentionhub.staff;

import com.retentionhub.lead.LeadIntake;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Leads entered by staff or another system: {@code POST /api/leads}, deduplicated by phone and email. */
@RestController
@RequestMapping("/api")
public class LeadsApi {

    /** One lead: a phone or an email at least; the source defaults to API. */
    public record NewLeadRequest(@Size(max = 200) String name, @Size(max = 40) String phone, @Size(max = 320) String email,
            @Pattern(regexp = "(?i)api|manual|bulk|import", message = "must be api, manual, bulk or import") String source,
            @Size(max = 200) String subId, @Size(max = 200) String clickId) {}

    private final LeadIntake intake;

    public LeadsApi(LeadIntake intake) {
        this.intake = intake;
    }

    /** 201 with the new lead's id, or 200 with the known lead's id for a duplicate. */
    @PostMapping("/leads")
    public ResponseEntity<Map<String, Object>> create(@Valid @RequestBody NewLeadRequest request) {
        LeadIntake.Source source = request.source() == null ? LeadIntake.Source.API : LeadIntake.Source.valueOf(request.source().toUpperCase(Locale.ROOT));
        LeadIntake.Accepted lead = intake.accept(new LeadIntake.NewLead(request.name(), request.phone(), request.email(), source, null,
                request.subId(), request.clickId()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", lead.id());
        body.put("duplicate", !lead.created());
        return ResponseEntity.status(lead.created() ? HttpStatus.CREATED : HttpStatus.OK).body(body);
    }
}
