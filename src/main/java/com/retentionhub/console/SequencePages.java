package com.retentionhub.console;

import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.staff.SequencesApi;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** Sequences: the list, one sequence's steps and enrollments by status, and the dry-run timeline for a chosen lead. */
@Controller
public class SequencePages {

    /** Leads listed when a name or phone matches more than one. */
    private static final int MATCHES = 10;

    private final SequencesApi api;
    private final ConsoleCalls calls;
    private final LeadDirectory leads;

    public SequencePages(SequencesApi api, ConsoleCalls calls, LeadDirectory leads) {
        this.api = api;
        this.calls = calls;
        this.leads = leads;
    }

    @GetMapping("/console/sequences")
    public String sequences(@RequestParam(name = "id", required = false) Long id, @RequestParam(name = "lead", required = false) String lead,
            Model model) {
        var all = api.list();
        model.addAttribute("sequences", all);
        Long chosen = id != null ? id : all.isEmpty() ? null : all.get(0).id();
        if (chosen != null) {
            sequence(chosen, lead, model);
        }
        return "console/sequences";
    }

    @GetMapping("/console/sequences/{id}")
    public String one(@PathVariable("id") long id, @RequestParam(name = "lead", required = false) String lead, Model model) {
        return sequences(id, lead, model);
    }

    private void sequence(long id, String lead, Model model) {
        ResponseEntity<?> found = api.get(id);
        if (found.getBody() == null) {
            model.addAttribute("error", "no sequence " + id);
            return;
        }
        model.addAttribute("sequence", found.getBody());
        model.addAttribute("stats", api.stats(id).getBody());
        model.addAttribute("lead", lead);
        if (lead == null || lead.isBlank()) {
            return;
        }
        Long chosen = pick(lead.trim(), model);
        if (chosen != null) {
            ConsoleCalls.Result<?> timeline = calls.call(() -> api.simulate(id, new SequencesApi.SimulateRequest(chosen, null, null, null)).getBody());
            model.addAttribute("timeline", timeline.value());
            model.addAttribute("error", timeline.error());
        }
    }

    /**
     * The lead an id, name, phone or email names; several matches are listed to choose from, none is
     * said. Up to six digits is an id; a phone number has at least seven.
     */
    private Long pick(String lead, Model model) {
        if (lead.matches("\\d{1,6}")) {
            return Long.parseLong(lead);
        }
        var found = leads.search(new LeadDirectory.Query(lead, null, null, null, 0, MATCHES)).items();
        if (found.size() == 1) {
            return found.get(0).id();
        }
        if (found.isEmpty()) {
            model.addAttribute("error", "no lead matches \"" + lead + "\"");
        } else {
            model.addAttribute("matches", found);
        }
        return null;
    }
}
