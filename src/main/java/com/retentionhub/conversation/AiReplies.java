package com.retentionhub.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.HubProperties;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Asks the chat model for a reply and validates what comes back. The model gets the business
 * profile, the customer's record ({@link CustomerBrief}, within its budget), the conversation's
 * state with its instructions and allowed moves, and the recent messages; it must answer with one JSON object. Anything that fails validation (not JSON, no
 * reply, over 320 characters, a move the machine does not declare) or a failed call is an
 * {@link InvalidAnswer}: the caller answers from a template instead and counts the fallback.
 */
@Component
public class AiReplies {

    public static final String ENDPOINT = "direct:conversation-ai-reply";

    /** A validated answer. {@code escalationReason} is set when the model says a human must take over. */
    public record Answer(String reply, ConversationState nextState, String intent, String escalationReason, boolean optOut) {}

    /** Why a model answer was not used; {@code reason} labels the fallback metric. */
    public static class InvalidAnswer extends RuntimeException {
        private final String reason;

        public InvalidAnswer(String reason, String detail) {
            super(reason + ": " + detail);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProducerTemplate producer;
    private final ConversationFlow flow;
    private final BusinessProfile business;
    private final ConversationStore conversations;
    private final int contextMessages;
    private final int contextHours;
    private final Clock clock;
    private final CustomerBrief customers;

    public AiReplies(ProducerTemplate producer, ConversationFlow flow, BusinessProfile business, ConversationStore conversations,
            HubProperties properties, Clock clock, CustomerBrief customers) {
        this.producer = producer;
        this.customers = customers;
        this.clock = clock;
        this.contextHours = properties.conversation().conversationTimeoutHours();
        this.flow = flow;
        this.business = business;
        this.conversations = conversations;
        this.contextMessages = properties.llm().maxContextMessages();
    }

    /** Asks for a reply to the customer with this phone, reading the conversation's recent messages. */
    public Answer ask(long conversationId, String phone, ConversationState state) {
        return ask(state,
                new ReadAhead(conversations.recentMessages(conversationId, contextMessages, contextSince()), customers.of(phone)));
    }

    /** What a conversation's prompt reads besides its state: the recent messages and the customer's record. */
    public record ReadAhead(List<ConversationStore.Message> recent, String brief) {
        public static final ReadAhead NONE = new ReadAhead(List.of(), "");
    }

    /**
     * The prompts' reading for several conversations (by id, with the phone each is with) in three
     * statements whatever their number: recent messages, customer records, next appointments.
     */
    public Map<Long, ReadAhead> readAhead(Map<Long, String> phoneByConversation) {
        Map<Long, List<ConversationStore.Message>> recent = conversations.recentMessages(phoneByConversation.keySet(), contextMessages,
                contextSince());
        Map<String, String> briefs = customers.of(phoneByConversation.values());
        return phoneByConversation.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> new ReadAhead(recent.getOrDefault(e.getKey(), List.of()), briefs.getOrDefault(e.getValue(), ""))));
    }

    /** Asks with what the prompt needs already read. */
    public Answer ask(ConversationState state, ReadAhead read) {
        List<ChatMessage> prompt = prompt(state, read.recent(), read.brief());
        Exchange result = producer.send(ENDPOINT, e -> e.getMessage().setBody(prompt));
        if (result.getException() != null) {
            throw new InvalidAnswer("model-error", result.getException().toString());
        }
        return validate(result.getMessage().getBody(String.class), state, flow);
    }

    /** Messages older than this start no context: after a long silence the conversation starts afresh. */
    private Instant contextSince() {
        return clock.instant().minus(Duration.ofHours(contextHours));
    }

    List<ChatMessage> prompt(ConversationState state, List<ConversationStore.Message> recent) {
        return prompt(state, recent, "");
    }

    /** {@code brief}: the customer's record, already within {@link CustomerBrief#BUDGET}; the recent turns follow it whole. */
    List<ChatMessage> prompt(ConversationState state, List<ConversationStore.Message> recent, String brief) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(brief.isEmpty() ? systemPrompt(state) : systemPrompt(state) + "\n" + brief));
        for (ConversationStore.Message m : recent) {
            messages.add("IN".equals(m.direction()) ? UserMessage.from(m.body()) : AiMessage.from(m.body()));
        }
        return messages;
    }

    /** The business profile, the state's instructions and moves, and the answer contract. */
    String systemPrompt(ConversationState state) {
        String services = business.services().stream()
                .map(s -> "- " + s.name() + (s.price() == null ? "" : " (" + s.price() + ")")
                        + (s.description() == null ? "" : ": " + s.description()))
                .collect(Collectors.joining("\n"));
        String hours = business.hours().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        String allowed = flow.allowedFrom(state).stream().map(ConversationState::value).collect(Collectors.joining(", "));
        String system = """
                You answer text messages for %s, a small business. Tone: %s.
                Services and prices:
                %s
                Hours (%s): %s
                Only state facts from this profile; never invent prices, times or promises.

                Conversation state: %s. Instructions for this state: %s
                You may keep the state or move to one of: %s.

                Answer with one JSON object and nothing else:
                {"reply": "<at most 320 characters, plain text>", "next_state": "<state>", "intent": "pricing|booking|support|scheduling|interest|other",
                 "opt_out": false, "escalate": false, "escalation_reason": null, "name": null, "email": null, "requested_time": null,
                 "sentiment": "positive|neutral|negative", "confidence": 0.0}
                Set "opt_out" to true when the customer asks in any words or language to stop receiving messages.
                Set "escalate" to true, with a reason, for threats, legal action, medical emergencies or complications, extreme anger,
                or requests never to be contacted.
                """.formatted(business.name(), business.tone() == null ? "friendly, short" : business.tone(), services, business.timeZone(),
                hours,
                state.value(), flow.instructions(state), allowed);
        return system;
    }

    static Answer validate(String text, ConversationState current, ConversationFlow flow) {
        if (text == null || text.isBlank()) {
            throw new InvalidAnswer("empty", "no text");
        }
        JsonNode node;
        try {
            node = JSON.readTree(stripCodeFence(text));
        } catch (Exception e) {
            throw new InvalidAnswer("invalid-json", e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidAnswer("invalid-json", "not an object");
        }
        String reply = node.path("reply").asText("").strip();
        if (reply.isEmpty() && !node.path("opt_out").asBoolean(false)) {
            throw new InvalidAnswer("empty", "no reply");
        }
        if (reply.length() > ReplyText.MAX_LENGTH) {
            throw new InvalidAnswer("too-long", reply.length() + " characters");
        }
        ConversationState next = current;
        String nextName = node.path("next_state").asText("").strip();
        if (!nextName.isEmpty()) {
            try {
                next = ConversationState.of(nextName.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidAnswer("illegal-state", "unknown state " + nextName);
            }
            if (next != current && !flow.allows(current, next)) {
                throw new InvalidAnswer("illegal-state", current.value() + " -> " + next.value());
            }
        }
        String escalation = node.path("escalate").asBoolean(false) ? "model:" + node.path("escalation_reason").asText("unspecified") : null;
        return new Answer(reply, next, node.path("intent").asText(null), escalation, node.path("opt_out").asBoolean(false));
    }

    private static String stripCodeFence(String text) {
        String t = text.strip();
        if (t.startsWith("```")) {
            int firstNewline = t.indexOf('\n');
            int end = t.lastIndexOf("```");
            if (firstNewline > 0 && end > firstNewline) {
                return t.substring(firstNewline + 1, end);
            }
        }
        return t;
    }
}
