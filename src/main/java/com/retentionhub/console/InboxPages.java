package com.retentionhub.console;

import com.retentionhub.conversation.ConversationSearch;
import com.retentionhub.staff.InboxApi;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.RequestParam;

/** The inbox's "needs reply" view, and its count in the navigation of every console page. */
@Controller
public class InboxPages {

    static final int PAGE_SIZE = 25;

    private final InboxApi api;

    public InboxPages(InboxApi api) {
        this.api = api;
    }

    @GetMapping("/console/needs-reply")
    public String needsReply(@RequestParam(name = "page", defaultValue = "0") int page, Model model) {
        model.addAttribute("page", api.needsReply(Math.max(0, page), PAGE_SIZE));
        return "console/needs-reply";
    }

    /**
     * Puts the inbox's counts on every signed-in page: the conversations waiting for an answer beside
     * "Needs reply" in the navigation, and each view's unread and total counts in the inbox's tabs.
     */
    @ControllerAdvice(basePackageClasses = InboxPages.class)
    static class NavigationCounts {

        private final InboxApi inbox;

        NavigationCounts(InboxApi inbox) {
            this.inbox = inbox;
        }

        @ModelAttribute("inbox")
        ConversationSearch.InboxCounts inbox(Principal who, HttpServletRequest request) {
            // Fragments polled every few seconds (rows, threads) show no navigation: they skip the count.
            return who == null || request.getRequestURI().endsWith("/rows") || request.getRequestURI().endsWith("/thread")
                    ? null
                    : inbox.counts(who.getName());
        }
    }
}
