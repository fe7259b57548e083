package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AiRepliesTest {

    private static final ConversationFlow FLOW = ConversationFlowLoader.load(Path.of("config/fsm/conversation.fsm.yaml"));

    @Test
    void shouldAcceptAValidAnswerAndItsDeclaredMove() {
        AiReplies.Answer a = AiReplies.validate(
                "{\"reply\":\"Sure! $129 for the first visit.\",\"next_state\":\"interested\",\"intent\":\"pricing\"}",
                ConversationState.START, FLOW);

        assertThat(a.reply()).isEqualTo("Sure! $129 for the first visit.");
        assertThat(a.nextState()).isEqualTo(ConversationState.INTERESTED);
        assertThat(a.escalationReason()).isNull();
    }

    @Test
    void shouldAcceptJsonInsideACodeFence() {
        assertThat(AiReplies.validate("```json\n{\"reply\":\"Hi!\"}\n```", ConversationState.START, FLOW).reply()).isEqualTo("Hi!");
    }

    @Test
    void shouldRefuseWhatFailsValidation() {
        assertThatThrownBy(() -> AiReplies.validate("Sure, we can come by!", ConversationState.START, FLOW))
                .isInstanceOf(AiReplies.InvalidAnswer.class).extracting(e -> ((AiReplies.InvalidAnswer) e).reason())
                .isEqualTo("invalid-json");
        assertThatThrownBy(() -> AiReplies.validate("{\"reply\":\"ok\",\"next_state\":\"action_sqft\"}", ConversationState.DONE, FLOW))
                .extracting(e -> ((AiReplies.InvalidAnswer) e).reason()).isEqualTo("illegal-state");
        assertThatThrownBy(() -> AiReplies.validate("{\"reply\":\"ok\",\"next_state\":\"dancing\"}", ConversationState.START, FLOW))
                .extracting(e -> ((AiReplies.InvalidAnswer) e).reason()).isEqualTo("illegal-state");
        assertThatThrownBy(() -> AiReplies.validate("{\"reply\":\"" + "a".repeat(600) + "\"}", ConversationState.START, FLOW))
                .extracting(e -> ((AiReplies.InvalidAnswer) e).reason()).isEqualTo("too-long");
        assertThatThrownBy(() -> AiReplies.validate("{\"next_state\":\"start\"}", ConversationState.START, FLOW))
                .extracting(e -> ((AiReplies.InvalidAnswer) e).reason()).isEqualTo("empty");
    }

    @Test
    void shouldAcceptAnOptOutWithoutAReply() {
        assertThat(AiReplies.validate("{\"reply\":\"\",\"opt_out\":true}", ConversationState.START, FLOW).optOut()).isTrue();
    }

    @Test
    void shouldCarryTheModelsEscalation() {
        AiReplies.Answer a = AiReplies.validate("{\"reply\":\"ok\",\"escalate\":true,\"escalation_reason\":\"medical\"}",
                ConversationState.START, FLOW);

        assertThat(a.escalationReason()).isEqualTo("model:medical");
    }
}
