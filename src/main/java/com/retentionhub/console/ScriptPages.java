package com.retentionhub.console;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.LeadDirectory;
import com.retentionhub.lead.Scripts;
import com.retentionhub.staff.ScriptPreviewApi;
import com.retentionhub.staff.ScriptsApi;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Scripts per channel: the list, and an editor that shows, as the operator types, the message
 * rendered for a chosen lead, its length, SMS segments and encoding, the fields it uses and their
 * defaults, and whether it names the business and says how to opt out.
 */
@Controller
public class ScriptPages {

    /** A script as typed into the editor. */
    public record ScriptForm(String name, String channel, String campaign, String subject, String body, String target, String lead)
            implements
                Serializable {

        ScriptsApi.ScriptRequest request() {
            return new ScriptsApi.ScriptRequest(blank(name), blank(channel), campaign == null ? "" : campaign.trim(), blank(subject), body,
                    blank(target));
        }
    }

    private final ScriptsApi api;
    private final ScriptPreviewApi preview;
    private final Campaigns campaigns;
    private final LeadDirectory leads;
    private final ConsoleCalls calls;

    public ScriptPages(ScriptsApi api, ScriptPreviewApi preview, Campaigns campaigns, LeadDirectory leads, ConsoleCalls calls) {
        this.api = api;
        this.preview = preview;
        this.campaigns = campaigns;
        this.leads = leads;
        this.calls = calls;
    }

    @GetMapping("/console/scripts")
    public String list(Model model) {
        model.addAttribute("scripts", api.list(null));
        model.addAttribute("channelWords", SequencePages.CHANNELS);
        return "console/scripts";
    }

    /** A new script; the Preview button (no script) comes back here with what was typed. */
    @GetMapping("/console/scripts/new")
    public String create(@RequestParam(name = "channel", defaultValue = "SMS") String channel, ScriptForm query, Model model) {
        ScriptForm typed = model.containsAttribute("typed")
                ? (ScriptForm) model.getAttribute("typed")
                : query.body() != null
                        ? query
                        : new ScriptForm("", channel.toUpperCase(Locale.ROOT), "", null,
                                "Hi {{firstName}}, it's {{business}}. Reply STOP to opt out.",
                                null, null);
        return editor(null, typed, model);
    }

    @GetMapping("/console/scripts/{id}")
    public String edit(@PathVariable("id") long id, @RequestParam(name = "lead", required = false) String lead, ScriptForm query,
            Model model) {
        Scripts.Script s = api.get(id);
        ScriptForm typed = model.containsAttribute("typed")
                ? (ScriptForm) model.getAttribute("typed")
                : query.body() != null
                        ? query
                        : new ScriptForm(s.name(), s.channel(), s.campaign(), s.subject(), s.body(), s.target(), lead);
        return editor(id, typed, model);
    }

    private String editor(Long id, ScriptForm typed, Model model) {
        model.addAttribute("id", id);
        model.addAttribute("form", typed);
        model.addAttribute("campaigns", campaigns.list().stream().map(Campaigns.Campaign::name).toList());
        model.addAttribute("channelWords", SequencePages.CHANNELS);
        analyse(typed, model);
        return "console/script";
    }

    /** The analysis panel alone: the editor posts what is typed and swaps this in. */
    @PostMapping("/console/scripts/preview")
    public String previewPanel(ScriptForm form, Model model) {
        analyse(form, model);
        return "console/script :: analysis";
    }

    @PostMapping("/console/scripts")
    public String save(ScriptForm form, RedirectAttributes flash) {
        Long[] saved = new Long[1];
        calls.attempt(flash, "Script saved.", () -> saved[0] = api.create(calls.valid(form.request())).getBody().id());
        if (saved[0] == null) {
            flash.addFlashAttribute("typed", form);
            return "redirect:/console/scripts/new";
        }
        return "redirect:/console/scripts/" + saved[0] + leadQuery(form);
    }

    @PostMapping("/console/scripts/{id}")
    public String update(@PathVariable("id") long id, ScriptForm form, RedirectAttributes flash) {
        calls.attempt(flash, "Script saved.", () -> api.update(id, calls.valid(form.request())));
        if (flash.getFlashAttributes().containsKey("error")) {
            flash.addFlashAttribute("typed", form);
        }
        return "redirect:/console/scripts/" + id + leadQuery(form);
    }

    @PostMapping("/console/scripts/{id}/delete")
    public String delete(@PathVariable("id") long id, RedirectAttributes flash) {
        calls.attempt(flash, "Script deleted.", () -> api.delete(id));
        return "redirect:/console/scripts";
    }

    private static String leadQuery(ScriptForm form) {
        String lead = blank(form.lead());
        return lead == null ? "" : "?lead=" + URLEncoder.encode(lead, StandardCharsets.UTF_8);
    }

    private void analyse(ScriptForm form, Model model) {
        String lead = blank(form.lead());
        Long leadId = null;
        String leadName = "an example recipient (Jamie Rivera)";
        if (lead != null) {
            List<LeadDirectory.Lead> found = lead.matches("\\d{1,6}")
                    ? List.of()
                    : leads.search(new LeadDirectory.Query(lead, null, null, null, 0, 2)).items();
            if (lead.matches("\\d{1,6}")) {
                leadId = Long.parseLong(lead);
                leadName = "lead #" + leadId;
            } else if (found.size() == 1) {
                leadId = found.get(0).id();
                leadName = found.get(0).name() != null ? found.get(0).name() : found.get(0).phone();
            } else {
                model.addAttribute("leadError", found.isEmpty()
                        ? "no lead matches \"" + lead + "\""
                        : "several leads match \"" + lead
                                + "\": type more of the name, or the phone");
            }
        }
        Long chosen = leadId;
        ConsoleCalls.Result<?> analysis = calls
                .call(() -> preview.preview(calls.valid(new ScriptPreviewApi.ScriptPreviewRequest(blank(form.channel()),
                        blank(form.subject()), form.body(), chosen))));
        model.addAttribute("analysis", analysis.value());
        model.addAttribute("analysisError", analysis.error());
        model.addAttribute("renderedFor", leadName);
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
