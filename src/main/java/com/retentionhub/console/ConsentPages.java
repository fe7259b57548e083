package com.retentionhub.console;

import com.retentionhub.consent.ReConsent;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.staff.StaffApi;
import java.security.Principal;
import java.time.Instant;
import java.time.LocalDateTime;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/** Consent: one phone's ledger, and staff-confirmed renewed consent (who, when, how it was obtained). */
@Controller
public class ConsentPages {

    private final StaffApi api;
    private final ConsoleCalls calls;
    private final BusinessProfile business;
    private final ReConsent reConsent;

    public ConsentPages(StaffApi api, ConsoleCalls calls, BusinessProfile business, ReConsent reConsent) {
        this.reConsent = reConsent;
        this.api = api;
        this.calls = calls;
        this.business = business;
    }

    @GetMapping("/console/consent")
    public String consent(@RequestParam(name = "phone", required = false) String phone, Model model) {
        model.addAttribute("phone", phone);
        model.addAttribute("requests", reConsent.pending(0, 50));
        if (ConversationPages.blank(phone) != null) {
            ConsoleCalls.Result<?> ledger = calls.call(() -> api.consent(phone.trim()));
            model.addAttribute("consent", ledger.value());
            model.addAttribute("error", ledger.error());
        }
        return "console/consent";
    }

    /** Renewed consent as staff confirmed it; {@code confirmedAt} is the business's local time, blank for now. */
    @PostMapping("/console/consent")
    public String renew(@RequestParam("phone") String phone, @RequestParam(name = "confirmedAt", required = false) String confirmedAt,
            @RequestParam("evidence") String evidence, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Renewed consent recorded.", () -> {
            Instant at = ConversationPages.blank(confirmedAt) == null
                    ? null
                    : LocalDateTime.parse(confirmedAt.trim()).atZone(business.zone()).toInstant();
            api.renewConsent(phone, calls.valid(new StaffApi.ConsentRequest(who.getName(), at, ConversationPages.blank(evidence))));
        });
        return "redirect:" + UriComponentsBuilder.fromPath("/console/consent").queryParam("phone", phone).encode().toUriString();
    }
}
