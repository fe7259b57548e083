package com.retentionhub.staff;

import com.retentionhub.lead.CampaignWindows;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.LocalDate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A campaign's active window: the days it takes new leads. */
@RestController
@RequestMapping("/api")
public class CampaignWindowApi {

    /** First and last day (business time zone, inclusive); null for an open end. */
    public record WindowRequest(@Schema(types = {"string", "null"}, format = "date") LocalDate startsOn,
            @Schema(types = {"string", "null"}, format = "date") LocalDate endsOn){}

    private final CampaignWindows windows;

    public CampaignWindowApi(CampaignWindows windows) {
        this.windows = windows;
    }

    @GetMapping("/campaigns/{id}/window")
    public CampaignWindows.Window get(@PathVariable long id) {
        return windows.of(id).orElseThrow(() -> ApiProblem.notFound("campaign", id));
    }

    @PutMapping("/campaigns/{id}/window")
    public CampaignWindows.Window set(@PathVariable long id, @RequestBody WindowRequest request) {
        return windows.set(id, request.startsOn(), request.endsOn()).orElseThrow(() -> ApiProblem.notFound("campaign", id));
    }
}
