package com.retentionhub.conversation;

import com.retentionhub.platform.ConfigFiles.InvalidConfigException;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.template.MessageTemplates;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Texts written for staff rather than in answer to a customer: the first text of a conversation
 * staff start (welcome, follow-up, reminder, promotional, support, thank-you, appointment) and
 * demo replies for a given context. The model writes them when one is configured and its answer
 * validates; otherwise, and as the embedded default, the templates of {@code config/outreach.yaml}.
 */
public class Outreach {

    /** A generated text and where it came from ("ai", "template" or "fallback:<reason>"). */
    public record Generated(String text, String source, ConversationState nextState) {}

    public static final Set<String> TYPES = Set.of("welcome", "follow-up", "reminder", "promotional", "support", "thank-you",
            "appointment");

    private final Map<String, String> templates;
    private final ReplyTemplates replies;
    private final AiReplies ai;
    private final ConversationFlow flow;
    private final MessageTemplates messageTemplates;
    private final ProducerTemplate producer;
    private final MeterRegistry meters;
    private final boolean llmEnabled;

    public Outreach(Map<String, String> templates, ReplyTemplates replies, AiReplies ai, ConversationFlow flow,
            MessageTemplates messageTemplates,
            ProducerTemplate producer, MeterRegistry meters, HubProperties properties) {
        for (String type : TYPES) {
            if (!templates.containsKey(type)) {
                throw new InvalidConfigException("outreach: no template for message type '" + type + "'");
            }
            try {
                messageTemplates.validate(templates.get(type));
            } catch (MessageTemplates.TemplateException e) {
                throw new InvalidConfigException("outreach: template '" + type + "': " + e.getMessage());
            }
        }
        this.templates = Map.copyOf(templates);
        this.replies = replies;
        this.ai = ai;
        this.flow = flow;
        this.messageTemplates = messageTemplates;
        this.producer = producer;
        this.meters = meters;
        this.llmEnabled = properties.llm().enabled();
    }

    /** The first text of a staff-started conversation. */
    public Generated first(String type, String name) {
        String template = ReplyText.fit(messageTemplates.render(templates.get(type), MessageTemplates.nameFields(name), null));
        if (!llmEnabled) {
            return new Generated(template, "template", null);
        }
        List<ChatMessage> prompt = List.of(SystemMessage.from(ai.systemPrompt(ConversationState.START)), UserMessage.from(
                "(staff) Write the first text of a '" + type + "' message to the customer" + (name == null ? "" : " named " + name)
                        + ". End with 'Reply STOP to opt out.'"));
        return ask(prompt, ConversationState.START, template);
    }

    /** A reply for a conversation given as messages, without sending anything (demo). */
    public Generated next(List<ConversationStore.Message> messages, ConversationState state) {
        String template = ReplyText.fit(replies.forState(state));
        if (!llmEnabled) {
            return new Generated(template, "template", null);
        }
        return ask(ai.prompt(state, messages), state, template);
    }

    private Generated ask(List<ChatMessage> prompt, ConversationState state, String template) {
        Exchange result = producer.send(AiReplies.ENDPOINT, e -> e.getMessage().setBody(new ArrayList<>(prompt)));
        try {
            if (result.getException() != null) {
                throw new AiReplies.InvalidAnswer("model-error", result.getException().toString());
            }
            AiReplies.Answer answer = AiReplies.validate(result.getMessage().getBody(String.class), state, flow);
            return new Generated(answer.reply(), "ai", answer.nextState());
        } catch (AiReplies.InvalidAnswer e) {
            meters.counter("hub.replies.fallback", "reason", e.reason()).increment();
            return new Generated(template, "fallback:" + e.reason(), null);
        }
    }

}
