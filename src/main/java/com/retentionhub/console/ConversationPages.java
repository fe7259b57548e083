package com.retentionhub.console;

import com.retentionhub.conversation.ConversationSearch;
import com.retentionhub.conversation.ConversationState;
import com.retentionhub.conversation.Scheduling;
import com.retentionhub.lead.Customers;
import com.retentionhub.staff.ApiProblem;
import com.retentionhub.staff.ConversationsApi;
import com.retentionhub.staff.StaffApi;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The conversation roster (refreshed live by polling) and one conversation: thread, record, state, manual text, hand-back. */
@Controller
public class ConversationPages {

    private static final int PAGE_SIZE = 25;

    private final ConversationsApi api;
    private final StaffApi staff;
    private final Customers customers;
    private final ConsoleCalls calls;
    private final Scheduling scheduling;
    private final ConversationHistory history;
    private final Labels labels;

    public ConversationPages(ConversationsApi api, StaffApi staff, Customers customers, ConsoleCalls calls,
            Scheduling scheduling, ConversationHistory history, Labels labels) {
        this.labels = labels;
        this.scheduling = scheduling;
        this.history = history;
        this.api = api;
        this.staff = staff;
        this.customers = customers;
        this.calls = calls;
    }

    /** The inbox's views over the roster: "needs reply" has a page of its own ({@link InboxPages}). */
    static final List<String> VIEWS = List.of("all", "mine", "escalated", "warm");

    @GetMapping("/console/conversations")
    public String roster(Roster filter, Principal who, Model model) {
        model.addAttribute("states", Arrays.stream(ConversationState.values()).map(ConversationState::value).toList());
        rows(filter, who, model);
        return "console/conversations";
    }

    /** The roster's rows alone: the page polls this so new messages appear without a reload. */
    @GetMapping("/console/conversations/rows")
    public String rows(Roster filter, Principal who, Model model) {
        String view = filter.viewOrAll();
        // A view narrows the filters; replies come first unless staff chose another order.
        Boolean escalated = "escalated".equals(view) ? Boolean.TRUE : filter.escalated();
        Boolean warm = "warm".equals(view) ? Boolean.TRUE : filter.warmLead();
        String assignee = "mine".equals(view) ? who.getName() : null;
        String sort = blank(filter.sort()) == null ? "replies" : filter.sort().trim();
        ConsoleCalls.Result<ConversationSearch.Page> page = calls.call(() -> api.list(blank(filter.q()), blank(filter.state()),
                escalated, warm, sort, filter.pageOrFirst(), PAGE_SIZE, assignee, null));
        model.addAttribute("view", view);
        model.addAttribute("filter", filter);
        model.addAttribute("page", page.value());
        model.addAttribute("error", page.error());
        return "console/conversations :: rows";
    }

    @GetMapping("/console/conversations/{id}")
    public String conversation(@PathVariable("id") long id, Model model) {
        Map<String, Object> view = staff.byId(id);
        model.addAttribute("c", view);
        String phone = (String) view.get("phone");
        customers.byPhone(phone).ifPresent(customer -> model.addAttribute("customer", customer));
        model.addAttribute("consent", staff.consent(phone).get("status"));
        model.addAttribute("appointments", scheduling.forConversation(id));
        model.addAttribute("history", history.of(id, view));
        return "console/conversation";
    }

    /** The thread alone, polled so delivery statuses and replies appear as they happen. */
    @GetMapping("/console/conversations/{id}/thread")
    public String thread(@PathVariable("id") long id, Model model) {
        model.addAttribute("c", staff.byId(id));
        return "console/conversation :: thread";
    }

    @PostMapping("/console/conversations/{id}/state")
    public String changeState(@PathVariable("id") long id, @RequestParam("state") String state,
            @RequestParam(name = "reason", required = false) String reason, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "State changed to " + labels.state(state) + ".",
                () -> staff.changeState(id, calls.valid(new StaffApi.StateRequest(state, who.getName(), blank(reason)))));
        return "redirect:/console/conversations/" + id;
    }

    @PostMapping("/console/conversations/{id}/messages")
    public String message(@PathVariable("id") long id, @RequestParam("body") String body, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "Sent. The AI stays quiet until you hand the conversation back.",
                () -> api.message(id, calls.valid(new ConversationsApi.MessageRequest(body, null)), null, who));
        return "redirect:/console/conversations/" + id;
    }

    /** Staff take a conversation: it is theirs (under "Mine") and the AI stays quiet until they hand it back. */
    @PostMapping("/console/conversations/{id}/take")
    public String take(@PathVariable("id") long id, Principal who, RedirectAttributes flash) {
        calls.attempt(flash, "You have this conversation; the AI stays quiet until you hand it back.",
                () -> api.takeOver(id, new ConversationsApi.TakeoverRequest(0), who));
        return "redirect:/console/conversations/" + id;
    }

    @PostMapping("/console/conversations/{id}/handback")
    public String handBack(@PathVariable("id") long id, RedirectAttributes flash) {
        calls.attempt(flash, "Handed back: the AI answers again.", () -> api.handBack(id));
        return "redirect:/console/conversations/" + id;
    }

    /** Export: one conversation, or every conversation in a date range, as the API gives it. */
    @GetMapping("/console/export")
    public ResponseEntity<?> export(@RequestParam(name = "conversation", required = false) Long conversation,
            @RequestParam(name = "from", required = false) String from, @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "format", defaultValue = "csv") String format) {
        if (conversation != null) {
            return api.transcript(conversation, format);
        }
        if (blank(from) == null || blank(to) == null) {
            throw ApiProblem.badRequest("give a conversation, or a range from and to");
        }
        return api.transcripts(from, to, format);
    }

    /** The roster's query string: inbox view, search, state, flags, sort and page. */
    public record Roster(String view, String q, String state, Boolean escalated, Boolean warmLead, String sort, Integer page) {
        public int pageOrFirst() {
            return page == null ? 0 : Math.max(page, 0);
        }

        /** The view asked for; an unknown one is a 400, not a silently different list. */
        public String viewOrAll() {
            if (view == null || view.isBlank()) {
                return "all";
            }
            if (!VIEWS.contains(view)) {
                throw new IllegalArgumentException("view must be one of " + VIEWS);
            }
            return view;
        }
    }

    static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
