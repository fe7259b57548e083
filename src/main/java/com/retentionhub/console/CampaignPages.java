package com.retentionhub.console;

import com.retentionhub.lead.CampaignWindows;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.staff.CampaignWindowApi;
import com.retentionhub.staff.CampaignsApi;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Campaigns: which lead sources join them, how many leads they take, the sequence they walk leads through, and their status. */
@Controller
public class CampaignPages {

    /** A campaign as typed into the page. */
    public record CampaignForm(String name, String status, List<String> sources, Integer maxLeads, String sequence, String startsOn,
            String endsOn)
            implements
                Serializable {

        CampaignWindowApi.WindowRequest window() {
            return new CampaignWindowApi.WindowRequest(date(startsOn, "startsOn"), date(endsOn, "endsOn"));
        }

        private static LocalDate date(String s, String field) {
            try {
                return s == null || s.isBlank() ? null : LocalDate.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new ConsoleCalls.Refused(field + " must be a date like 2026-03-01");
            }
        }

        CampaignsApi.CampaignRequest request() {
            return new CampaignsApi.CampaignRequest(name == null ? null : name.trim(), status, sources == null ? List.of() : sources,
                    maxLeads,
                    sequence == null || sequence.isBlank() ? null : sequence);
        }
    }

    private final CampaignsApi api;
    private final CampaignWindowApi windows;
    private final Sequences sequences;
    private final ConsoleCalls calls;

    public CampaignPages(CampaignsApi api, CampaignWindowApi windows, Sequences sequences, ConsoleCalls calls) {
        this.api = api;
        this.windows = windows;
        this.sequences = sequences;
        this.calls = calls;
    }

    @GetMapping("/console/campaigns")
    public String list(Model model) {
        List<Campaigns.Campaign> all = api.list();
        model.addAttribute("campaigns", all);
        Map<Long, CampaignWindows.Window> windowOf = new HashMap<>();
        Map<Long, String> words = new HashMap<>();
        all.forEach(c -> {
            var w = windows.get(c.id());
            windowOf.put(c.id(), w);
            words.put(c.id(), words(w));
        });
        model.addAttribute("windows", windowOf);
        model.addAttribute("windowWords", words);
        model.addAttribute("sources", Arrays.stream(LeadIntake.Source.values()).map(Enum::name).toList());
        model.addAttribute("sequenceNames", sequences.list().stream().map(Sequences.Sequence::name).toList());
        return "console/campaigns";
    }

    /** "takes leads from Mar 1, 2026 until Apr 30, 2026 (open)". */
    static String words(CampaignWindows.Window w) {
        if (w.startsOn() == null && w.endsOn() == null) {
            return "takes leads any day";
        }
        DateTimeFormatter day = DateTimeFormatter.ofPattern("MMM d, yyyy", Locale.US);
        return "takes leads" + (w.startsOn() == null ? "" : " from " + day.format(w.startsOn())) + (w.endsOn() == null
                ? ""
                : " until " + day.format(w.endsOn())) + " (" + w.state() + ")";
    }

    @PostMapping("/console/campaigns")
    public String create(CampaignForm form, RedirectAttributes flash) {
        calls.attempt(flash, "Campaign created.", () -> {
            var window = form.window();
            windows.set(api.create(calls.valid(form.request())).getBody().id(), window);
        });
        flash.addFlashAttribute("errorFor", "new");
        flash.addFlashAttribute("typed", form);
        return "redirect:/console/campaigns";
    }

    @PostMapping("/console/campaigns/{id}")
    public String update(@PathVariable("id") long id, CampaignForm form, RedirectAttributes flash) {
        calls.attempt(flash, "Campaign saved.", () -> {
            var window = form.window();
            api.update(id, calls.valid(form.request()));
            windows.set(id, window);
        });
        flash.addFlashAttribute("errorFor", String.valueOf(id));
        return "redirect:/console/campaigns#campaign-" + id;
    }
}
