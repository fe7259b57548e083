package com.retentionhub.console;

import com.retentionhub.semantic.SemanticLabel;
import com.retentionhub.staff.SemanticDecisionsApi;
import java.security.Principal;
import java.util.Arrays;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The semantic layer's decisions on a conversation page (loaded into it), and staff marking one wrong. */
@Controller
public class SemanticPages {

    private final SemanticDecisionsApi api;
    private final ConsoleCalls calls;

    public SemanticPages(SemanticDecisionsApi api, ConsoleCalls calls) {
        this.api = api;
        this.calls = calls;
    }

    @GetMapping("/console/conversations/{id}/semantic")
    public String decisions(@PathVariable("id") long id, Model model) {
        model.addAttribute("conversationId", id);
        model.addAttribute("decisions", api.forConversation(id));
        model.addAttribute("labels", Arrays.stream(SemanticLabel.values())
                .map(SemanticLabel::code).toList());
        return "console/semantic :: decisions";
    }

    @PostMapping("/console/conversations/{id}/semantic/{decision}/wrong")
    public String markWrong(@PathVariable("id") long id, @PathVariable("decision") long decision, @RequestParam("label") String label,
            Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Marked wrong; the text is proposed as a '" + label + "' exemplar for review.",
                () -> api.markWrong(decision, calls.valid(new SemanticDecisionsApi.Correction(label)), who));
        return "redirect:/console/conversations/" + id;
    }
}
