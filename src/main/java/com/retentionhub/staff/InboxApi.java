package com.retentionhub.staff;

import com.retentionhub.conversation.ConversationSearch;
import com.retentionhub.conversation.NeedsReply;
import com.retentionhub.lead.Customers;
import java.time.Clock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The inbox's views that the roster's filters do not give. */
@RestController
@RequestMapping("/api/inbox")
public class InboxApi {

    private final NeedsReply needsReply;
    private final ConversationSearch search;
    private final Clock clock;

    public InboxApi(NeedsReply needsReply, ConversationSearch search, Clock clock) {
        this.needsReply = needsReply;
        this.search = search;
        this.clock = clock;
    }

    /** Each view's total and unread (waiting for an answer) count; "mine" for {@code user}, the console user's name. */
    @GetMapping("/counts")
    public ConversationSearch.InboxCounts counts(@RequestParam(name = "user", required = false) String user) {
        return search.counts(user == null || user.isBlank() ? null : user.trim(), clock.instant());
    }

    @GetMapping("/needs-reply")
    public Customers.Page<NeedsReply.Waiting> needsReply(@RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "50") int size) {
        Paging.check(page, size);
        return needsReply.page(page, size);
    }
}
