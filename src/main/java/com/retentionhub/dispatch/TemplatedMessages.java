package com.retentionhub.dispatch;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.template.MessageTemplates;
import java.util.HashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Queues a message written as a template for one contact: the contact's fields and the caller's
 * (campaign, service, offer URL...) fill it, a fresh attempt id goes into its tracking link and
 * onto the outbox row, so a tracker postback naming that {@code sub_id} finds this exact message.
 * A template that cannot be filled queues nothing and says why.
 */
@Component
public class TemplatedMessages {

    private final MessageTemplates templates;
    private final ContactStore contacts;
    private final Outbox outbox;

    public TemplatedMessages(MessageTemplates templates, ContactStore contacts, Outbox outbox) {
        this.templates = templates;
        this.contacts = contacts;
        this.outbox = outbox;
    }

    /**
     * @param draft the message with its body (and an email's subject) as templates
     * @param fields extra fields, which win over the contact's
     * @throws MessageTemplates.TemplateException when a field has no value and no default
     */
    // Not @Transactional itself: a refusal to render must not mark a caller's transaction rollback-only.
    public Outbox.Enqueued queue(Outbox.Message draft, Map<String, ?> fields) {
        Map<String, Object> context = new HashMap<>();
        contacts.find(draft.phone()).ifPresent(c -> context.putAll(MessageTemplates.fieldsOf(c)));
        fields.forEach((k, v) -> {
            if (v != null) {
                context.put(k, v);
            }
        });
        String attemptId = draft.attemptId() != null ? draft.attemptId() : Outbox.newAttemptId();
        String body = templates.render(draft.body() == null ? "" : draft.body(), context, attemptId);
        String subject = draft.subject() == null ? null : templates.render(draft.subject(), context, attemptId);
        return outbox
                .enqueue(new Outbox.Message(draft.key(), draft.channel(), draft.phone(), draft.address(), subject, body, draft.purpose(),
                        draft.campaign(), draft.sender(), draft.target(), draft.notBefore(), draft.expiresAt(), attemptId));
    }
}
