package com.retentionhub.console;

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

    private final SequencesApi api;
    private final ConsoleCalls calls;

    public SequencePages(SequencesApi api, ConsoleCalls calls) {
        this.api = api;
        this.calls = calls;
    }

    @GetMapping("/console/sequences")
    public String sequences(@RequestParam(name = "id", required = false) Long id, @RequestParam(name = "lead", required = false) Long lead,
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
    public String one(@PathVariable("id") long id, @RequestParam(name = "lead", required = false) Long lead, Model model) {
        return sequences(id, lead, model);
    }

    private void sequence(long id, Long lead, Model model) {
        ResponseEntity<?> found = api.get(id);
        if (found.getBody() == null) {
            model.addAttribute("error", "no sequence " + id);
            return;
        }
        model.addAttribute("sequence", found.getBody());
        model.addAttribute("stats", api.stats(id).getBody());
        model.addAttribute("lead", lead);
        if (lead != null) {
            ConsoleCalls.Result<?> timeline = calls.call(() -> api.simulate(id, new SequencesApi.SimulateRequest(lead, null, null, null)).getBody());
            model.addAttribute("timeline", timeline.value());
            model.addAttribute("error", timeline.error());
        }
    }
}
