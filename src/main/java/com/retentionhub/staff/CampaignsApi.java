package com.retentionhub.staff;

import com.retentionhub.lead.Campaigns;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Campaigns: {@code /api/campaigns} CRUD. Delete ends a campaign; its history stays. */
@RestController
@RequestMapping("/api/campaigns")
public class CampaignsApi {

    public record CampaignRequest(@NotBlank @Size(max = 100) String name,
            @Schema(pattern = "(?i)ACTIVE|PAUSED|ENDED") String status,
            @ArraySchema(schema = @Schema(pattern = "(?i)META|API|MANUAL|BULK|IMPORT")) @Size(max = 5) List<String> sources,
            @Min(0) Integer maxLeads, @Size(max = 100) String sequence) {

        Campaigns.Definition definition() {
            return new Campaigns.Definition(name, status, sources, maxLeads, sequence);
        }
    }

    private final Campaigns campaigns;

    public CampaignsApi(Campaigns campaigns) {
        this.campaigns = campaigns;
    }

    @GetMapping
    public List<Campaigns.Campaign> list() {
        return campaigns.list();
    }

    @PostMapping
    public ResponseEntity<Campaigns.Campaign> create(@Valid @RequestBody CampaignRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(campaigns.create(request.definition()));
    }

    @GetMapping("/{id}")
    public Campaigns.Campaign get(@PathVariable long id) {
        return campaigns.get(id).orElseThrow(() -> ApiProblem.notFound("campaign", id));
    }

    @PutMapping("/{id}")
    public Campaigns.Campaign update(@PathVariable long id, @Valid @RequestBody CampaignRequest request) {
        return campaigns.update(id, request.definition()).orElseThrow(() -> ApiProblem.notFound("campaign", id));
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> end(@PathVariable long id) {
        if (!campaigns.end(id)) {
            throw ApiProblem.notFound("campaign", id);
        }
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(Campaigns.NameTaken.class)
    ProblemDetail nameTaken(Campaigns.NameTaken e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }
}
