package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.retentionhub.platform.ConfigFiles.InvalidConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationFlowLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheShippedMachineAndRefuseUndeclaredMoves() {
        ConversationFlow flow = ConversationFlowLoader.load(Path.of("config/fsm/conversation.fsm.yaml"));

        assertThat(flow.initial()).isEqualTo(ConversationState.START);
        assertThat(flow.allows(ConversationState.START, ConversationState.INTERESTED)).isTrue();
        assertThat(flow.allows(ConversationState.STOP, ConversationState.INTERESTED)).isFalse();
        assertThat(flow.instructions(ConversationState.ACTION_SQFT)).contains("square footage");
        for (ConversationState s : ConversationState.values()) {
            assertThat(s == ConversationState.STOP || flow.allows(s, ConversationState.STOP)).as(s.value()).isTrue();
        }
        assertThatThrownBy(() -> flow.check(ConversationState.STOP, ConversationState.DONE))
                .isInstanceOf(ConversationFlow.IllegalTransitionException.class);
    }

    @Test
    void shouldNameTheLineOfAnUnknownState() throws Exception {
        String yaml = valid().replace("transitions: [start, stop]", "transitions: [start, stop, maybe]");

        assertThatThrownBy(() -> load(yaml)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("unknown state 'maybe'").hasMessageContaining("line 23");
    }

    @Test
    void shouldRefuseAStateWithoutInstructions() throws Exception {
        String yaml = valid().replace("    instructions: Ask for the square footage.\n", "");

        assertThatThrownBy(() -> load(yaml)).hasMessageContaining("state 'action_sqft' has no instructions").hasMessageContaining("line 9");
    }

    @Test
    void shouldRefuseAnUnreachableState() throws Exception {
        String yaml = valid()
                .replace("[interested, action_sqft, follow_up, pause, stop, done]", "[interested, follow_up, pause, stop, done]")
                .replace("transitions: [action_sqft, follow_up, pause, stop, done]", "transitions: [follow_up, pause, stop, done]")
                .replace("transitions: [start, interested, action_sqft, follow_up, stop, done]",
                        "transitions: [start, interested, follow_up, stop, done]")
                .replace("transitions: [interested, action_sqft, pause, stop, done]", "transitions: [interested, pause, stop, done]");

        assertThatThrownBy(() -> load(yaml)).hasMessageContaining("state 'action_sqft' is unreachable from 'start'");
    }

    @Test
    void shouldRefuseAStateFromWhichStopIsNotAllowed() throws Exception {
        String yaml = valid().replace("transitions: [start, interested, follow_up, pause, stop]",
                "transitions: [start, interested, follow_up, pause]");

        assertThatThrownBy(() -> load(yaml)).hasMessageContaining("state 'done' must allow stop");
    }

    @Test
    void shouldRefuseAMissingState() throws Exception {
        String yaml = valid().replace("  done:\n    instructions: Done.\n    transitions: [start, interested, follow_up, pause, stop]\n",
                "");

        assertThatThrownBy(() -> load(yaml)).hasMessageContaining("state 'done' is not declared");
    }

    private ConversationFlow load(String yaml) throws Exception {
        Path file = dir.resolve("flow.yaml");
        Files.writeString(file, yaml);
        return ConversationFlowLoader.load(file);
    }

    private static String valid() {
        return """
                initial: start
                states:
                  start:
                    instructions: Greet.
                    transitions: [interested, action_sqft, follow_up, pause, stop, done]
                  interested:
                    instructions: Quote.
                    transitions: [action_sqft, follow_up, pause, stop, done]
                  action_sqft:
                    instructions: Ask for the square footage.
                    transitions: [interested, follow_up, pause, stop, done]
                  follow_up:
                    instructions: Follow up.
                    transitions: [interested, action_sqft, pause, stop, done]
                  pause:
                    instructions: Staff have it.
                    transitions: [start, interested, action_sqft, follow_up, stop, done]
                  done:
                    instructions: Done.
                    transitions: [start, interested, follow_up, pause, stop]
                  stop:
                    instructions: Opted out.
                    transitions: [start, stop]
                """;
    }
}
