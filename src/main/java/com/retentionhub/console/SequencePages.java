package com.retentionhub.console;

import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.lead.Scripts;
import com.retentionhub.platform.Channel;
import com.retentionhub.sequence.Delays;
import com.retentionhub.sequence.SequenceDefinition;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.staff.SequenceEditorApi;
import com.retentionhub.staff.SequencesApi;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Sequences: the list, one sequence drawn as a timeline of steps (channel, delay as people say it,
 * conditions, script, figures) that operators edit in place, and the dry-run timeline for a chosen
 * lead. Edits go through the staff API's handlers, so the page refuses what the API refuses, and
 * says why next to the form.
 */
@Controller
public class SequencePages {

    /** Leads listed when a name or phone matches more than one. */
    private static final int MATCHES = 10;

    /** Conditions as operators read them. */
    static final Map<String, String> CONDITIONS = Map.of("skip-if-converted", "not once the lead converted", "only-if-no-reply",
            "only if the lead has not replied", "only-if-email-not-opened", "only if the email was not opened", "best-hour",
            "at the channel's best hour");
    /** Channels as operators read them. */
    static final Map<String, String> CHANNELS = Arrays.stream(Channel.values())
            .collect(Collectors.toMap(Channel::stepName, Channel::label));

    /** A step as typed into the page: the delay in words, the conditions ticked. */
    public record StepForm(String channel, String delay, String script, List<String> conditions,
            Integer retryLimit) implements Serializable {}

    private final SequencesApi api;
    private final SequenceEditorApi editor;
    private final ConsoleCalls calls;
    private final LeadDirectory leads;
    private final Scripts scripts;

    public SequencePages(SequencesApi api, SequenceEditorApi editor, ConsoleCalls calls, LeadDirectory leads, Scripts scripts) {
        this.api = api;
        this.editor = editor;
        this.calls = calls;
        this.leads = leads;
        this.scripts = scripts;
    }

    @GetMapping("/console/sequences")
    public String sequences(@RequestParam(name = "id", required = false) Long id,
            @RequestParam(name = "lead", required = false) String lead,
            Model model) {
        var all = api.list();
        model.addAttribute("sequences", all);
        model.addAttribute("conditionWords", CONDITIONS);
        model.addAttribute("channelWords", CHANNELS);
        model.addAttribute("scriptNames", scripts.list(null).stream().map(Scripts.Script::name).distinct().toList());
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

    /** A new sequence, as a draft, with its first step. */
    @PostMapping("/console/sequences")
    public String create(@RequestParam("name") String name, StepForm first, RedirectAttributes flash) {
        Object[] created = new Object[1];
        calls.attempt(flash, "Sequence created as a draft: add its steps, then activate it.", () -> {
            ResponseEntity<Object> answer = api.create(calls.valid(new SequenceDefinition(name == null ? null : name.trim(), "DRAFT",
                    List.of(step(first)))));
            refuseUnlessOk(answer);
            created[0] = ((Sequences.Sequence) answer.getBody()).id();
        });
        if (created[0] == null) {
            flash.addFlashAttribute("errorStep", "sequence");
            return "redirect:/console/sequences";
        }
        return "redirect:/console/sequences/" + created[0];
    }

    @PostMapping("/console/sequences/{id}/status")
    public String status(@PathVariable("id") long id, @RequestParam("status") String status, RedirectAttributes flash) {
        calls.attempt(flash, "Sequence is now " + status.toLowerCase(Locale.ROOT) + ".",
                () -> refuseUnlessOk(api.update(id, calls.valid(new SequencesApi.SequenceChange(null, status)))));
        return "redirect:/console/sequences/" + id;
    }

    @PostMapping("/console/sequences/{id}/steps")
    public String addStep(@PathVariable("id") long id, StepForm form, RedirectAttributes flash) {
        calls.attempt(flash, "Step added.", () -> refuseUnlessOk(api.addStep(id, step(form))));
        flash.addFlashAttribute("errorStep", "new");
        flash.addFlashAttribute("typed", form);
        return "redirect:/console/sequences/" + id;
    }

    @PostMapping("/console/sequences/{id}/steps/{stepId}")
    public String editStep(@PathVariable("id") long id, @PathVariable("stepId") long stepId, StepForm form, RedirectAttributes flash) {
        calls.attempt(flash, "Step saved.", () -> refuseUnlessOk(api.updateStep(id, stepId, step(form))));
        flash.addFlashAttribute("errorStep", String.valueOf(stepId));
        flash.addFlashAttribute("typed", form);
        return "redirect:/console/sequences/" + id;
    }

    @PostMapping("/console/sequences/{id}/steps/{stepId}/delete")
    public String deleteStep(@PathVariable("id") long id, @PathVariable("stepId") long stepId, RedirectAttributes flash) {
        calls.attempt(flash, "Step removed.", () -> refuseUnlessOk(api.deleteStep(id, stepId)));
        flash.addFlashAttribute("errorStep", String.valueOf(stepId));
        return "redirect:/console/sequences/" + id;
    }

    /** Moves a step one place earlier or later. */
    @PostMapping("/console/sequences/{id}/steps/{stepId}/move")
    public String move(@PathVariable("id") long id, @PathVariable("stepId") long stepId, @RequestParam("direction") String direction,
            RedirectAttributes flash) {
        calls.attempt(flash, "Step moved.", () -> {
            Sequences.Sequence sequence = (Sequences.Sequence) refuseUnlessOk(api.get(id));
            List<Long> order = new ArrayList<>(sequence.steps().stream().map(Sequences.Step::id).toList());
            int at = order.indexOf(stepId);
            int to = direction.equals("up") ? at - 1 : at + 1;
            if (at < 0 || to < 0 || to >= order.size()) {
                throw new ConsoleCalls.Refused("the step cannot move " + (direction.equals("up") ? "earlier" : "later"));
            }
            order.add(to, order.remove(at));
            editor.reorder(id, new SequenceEditorApi.StepOrderRequest(order));
        });
        flash.addFlashAttribute("errorStep", String.valueOf(stepId));
        return "redirect:/console/sequences/" + id;
    }

    /** The step as the API takes it, from what was typed; a delay that is not one is refused here, saying how to write it. */
    private SequenceDefinition.Step step(StepForm form) {
        long minutes;
        try {
            minutes = Delays.parse(form.delay());
        } catch (IllegalArgumentException e) {
            throw new ConsoleCalls.Refused(e.getMessage());
        }
        String channel = form.channel() == null ? null : form.channel().toUpperCase(Locale.ROOT);
        String script = form.script() == null ? null : form.script().trim();
        if (channel != null && script != null && !script.isEmpty() && scripts.list(null).stream()
                .noneMatch(s -> s.name().equals(script) && s.channel().equals(channel))) {
            throw new ConsoleCalls.Refused(
                    "script: there is no " + CHANNELS.getOrDefault(channel, channel).toLowerCase(Locale.ROOT) + " script named '"
                            + script + "'");
        }
        return calls.valid(new SequenceDefinition.Step(channel, Delays.definition(minutes), script, form.conditions() == null
                ? List.of()
                : form.conditions(), form.retryLimit()));
    }

    /** The answer's body, or the refusal it carries. */
    private static Object refuseUnlessOk(ResponseEntity<?> answer) {
        if (answer.getStatusCode().is2xxSuccessful()) {
            return answer.getBody();
        }
        if (answer.getBody() instanceof ProblemDetail problem) {
            throw new ConsoleCalls.Refused(problem.getDetail());
        }
        throw new ConsoleCalls.Refused(answer.getStatusCode().value() == 404 ? "no such sequence or step" : "refused");
    }

    private void sequence(long id, String lead, Model model) {
        ResponseEntity<?> found = api.get(id);
        if (found.getBody() == null) {
            model.addAttribute("error", "no sequence " + id);
            return;
        }
        Sequences.Sequence sequence = (Sequences.Sequence) found.getBody();
        model.addAttribute("sequence", sequence);
        // Where each step falls counted from enrollment, the way operators plan: "day 3", not a sum of minutes.
        List<String> waits = new ArrayList<>();
        long total = 0;
        for (Sequences.Step step : sequence.steps()) {
            boolean first = total == 0 && waits.isEmpty();
            total += step.delayMinutes();
            String since = total == 0 ? "at enrollment" : Delays.ofMinutes(total) + " after enrollment";
            waits.add(step.delayMinutes() == 0
                    ? (first ? "At enrollment" : "Right after the previous step · " + since)
                    : first ? "Wait " + since : "Wait " + Delays.ofMinutes(step.delayMinutes()) + " · " + since);
        }
        model.addAttribute("waits", waits);
        model.addAttribute("stats", api.stats(id).getBody());
        model.addAttribute("figures", editor.figures(id));
        model.addAttribute("lead", lead);
        if (lead == null || lead.isBlank()) {
            return;
        }
        Long chosen = pick(lead.trim(), model);
        if (chosen != null) {
            ConsoleCalls.Result<?> timeline = calls
                    .call(() -> api.simulate(id, new SequencesApi.SimulateRequest(chosen, null, null, null)).getBody());
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
