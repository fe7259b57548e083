package com.retentionhub.console;

import com.retentionhub.abtest.AbTests;
import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.Scripts;
import com.retentionhub.sequence.Sequences;
import com.retentionhub.staff.AbTestsApi;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A/B tests: set one up (campaign, channel, step, a script per arm), see the planner's sample size
 * before launching, and follow each test: assigned and converted per arm, the verdict in words, and
 * the sample-ratio alarm when assignment looks broken.
 */
@Controller
public class AbTestPages {

    /** The setup form: up to four arms, each a name and a script; the planner's baseline and lift in percent. */
    public record TestForm(String name, String campaign, String channel, Long stepId, String rule, List<String> armNames,
            List<String> armScripts,
            Double baseline, Double lift) implements Serializable {}

    private final AbTestsApi api;
    private final Campaigns campaigns;
    private final Sequences sequences;
    private final Scripts scripts;
    private final ConsoleCalls calls;

    public AbTestPages(AbTestsApi api, Campaigns campaigns, Sequences sequences, Scripts scripts, ConsoleCalls calls) {
        this.api = api;
        this.campaigns = campaigns;
        this.sequences = sequences;
        this.scripts = scripts;
        this.calls = calls;
    }

    @GetMapping("/console/ab-tests")
    public String list(TestForm form, Model model) {
        List<AbTests.Verdict> tests = api.list();
        model.addAttribute("tests", tests);
        Map<Long, String> verdicts = new LinkedHashMap<>();
        tests.forEach(t -> verdicts.put(t.id(), verdict(t)));
        model.addAttribute("verdicts", verdicts);
        model.addAttribute("campaigns", campaigns.list().stream().map(Campaigns.Campaign::name).toList());
        model.addAttribute("scriptNames", scripts.list(null).stream().map(Scripts.Script::name).distinct().toList());
        Map<Long, String> steps = new LinkedHashMap<>();
        sequences.list().forEach(s -> s.steps().forEach(st -> steps.put(st.id(), s.name() + " · step " + st.position() + " ("
                + SequencePages.CHANNELS.get(st.channel()).toLowerCase(Locale.ROOT) + ", " + st.script() + ")")));
        model.addAttribute("steps", steps);
        TestForm typed = model.containsAttribute("typed") ? (TestForm) model.getAttribute("typed") : form;
        model.addAttribute("form", typed);
        if (typed.baseline() != null && typed.lift() != null) {
            ConsoleCalls.Result<Map<String, Object>> planned = calls.call(() -> plan(typed.baseline(), typed.lift()));
            model.addAttribute("plan", planned.value());
            model.addAttribute("planError", planned.error());
        }
        return "console/ab-tests";
    }

    @GetMapping("/console/ab-tests/{id}")
    public String one(@PathVariable("id") long id) {
        api.get(id);
        return "redirect:/console/ab-tests#test-" + id;
    }

    @PostMapping("/console/ab-tests")
    public String create(TestForm form, RedirectAttributes flash) {
        calls.attempt(flash, "A/B test launched.", () -> {
            List<AbTestsApi.VariantRequest> arms = new ArrayList<>();
            for (int i = 0; form.armNames() != null && i < form.armNames().size(); i++) {
                String name = form.armNames().get(i);
                String script = form.armScripts() == null || i >= form.armScripts().size() ? null : form.armScripts().get(i);
                if ((name == null || name.isBlank()) && (script == null || script.isBlank())) {
                    continue; // an arm left empty is no arm
                }
                arms.add(new AbTestsApi.VariantRequest(name == null ? null : name.trim(), script == null ? null : script.trim()));
            }
            String channel = form.channel() == null ? null : form.channel().toLowerCase(Locale.ROOT);
            for (AbTestsApi.VariantRequest arm : arms) {
                if (arm.script() != null && scripts.list(null).stream().noneMatch(s -> s.name().equals(arm.script())
                        && s.channel().equalsIgnoreCase(form.channel()))) {
                    throw new ConsoleCalls.Refused(
                            "arm " + arm.name() + ": there is no " + channel + " script named '" + arm.script() + "'");
                }
            }
            api.create(
                    calls.valid(new AbTestsApi.TestRequest(form.name() == null ? null : form.name().trim(), blank(form.campaign()), channel,
                            form.stepId(), blank(form.rule()), arms)));
        });
        if (flash.getFlashAttributes().containsKey("error")) {
            flash.addFlashAttribute("typed", form);
        }
        return "redirect:/console/ab-tests";
    }

    /** The planner, with percentages as operators type them (10 = 10%). */
    private Map<String, Object> plan(double baselinePercent, double liftPercent) {
        if (baselinePercent <= 0 || baselinePercent >= 100 || liftPercent <= 0) {
            throw new ConsoleCalls.Refused("the baseline must be between 0 and 100%, and the lift above 0%");
        }
        return api.plan(baselinePercent / 100, liftPercent / 100, 0.8, 0.05);
    }

    /** The verdict as a sentence an operator can act on. */
    static String verdict(AbTests.Verdict t) {
        if (t.sampleRatioAlarm()) {
            return "Sample ratio mismatch: the arms got "
                    + String.join(" and ", t.variants().stream().map(v -> v.assigned() + " leads").toList())
                    + " where an even split was expected (" + p(t.sampleRatioPValue())
                    + "). Assignment looks broken: do not trust this test's result.";
        }
        long assigned = t.variants().stream().mapToLong(AbTests.Variant::assigned).sum();
        if ("ENDED".equals(t.status()) && t.winner() != null) {
            return "Decided: " + t.winner() + " converts better (" + evidence(t) + "). The test has ended.";
        }
        if (assigned == 0) {
            return "Running: no lead has been assigned yet.";
        }
        return "Running, no verdict yet: the difference so far could be chance (" + evidence(t) + "). Keep it running.";
    }

    private static String evidence(AbTests.Verdict t) {
        return "MSPRT".equals(t.rule()) ? "always-valid " + p(t.sequentialPValue()) : t.zPValue() == null ? "no data" : p(t.zPValue());
    }

    private static String p(double p) {
        return p < 0.001 ? "p < 0.001" : String.format(Locale.US, "p = %.3f", p);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
