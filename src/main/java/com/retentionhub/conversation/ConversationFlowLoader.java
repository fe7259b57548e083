package com.retentionhub.conversation;

import com.retentionhub.platform.ConfigFiles.InvalidConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads {@code config/fsm/conversation.fsm.yaml} into a {@link ConversationFlow}, keeping YAML
 * line numbers so that every refusal names the line: unknown states, states missing or without
 * instructions, states unreachable from the initial one, and states from which STOP is not allowed
 * (an opt-out must always be possible).
 */
public final class ConversationFlowLoader {

    private final Path file;

    private ConversationFlowLoader(Path file) {
        this.file = file;
    }

    public static ConversationFlow load(Path file) {
        return new ConversationFlowLoader(file).read();
    }

    private ConversationFlow read() {
        Node root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = new Yaml().compose(reader);
        } catch (IOException e) {
            throw fail(null, "cannot be read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            throw fail(null, "is not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof MappingNode top)) {
            throw fail(root, "must be a mapping with 'initial' and 'states'");
        }
        Map<String, Node> fields = fields(top);
        ConversationState initial = state(scalar(fields.get("initial"), top, "initial"), fields.get("initial"));
        if (!(fields.get("states") instanceof MappingNode statesNode)) {
            throw fail(top, "'states' must map each state to its instructions and transitions");
        }

        Map<ConversationState, Set<ConversationState>> transitions = new EnumMap<>(ConversationState.class);
        Map<ConversationState, String> instructions = new EnumMap<>(ConversationState.class);
        Map<ConversationState, Node> declaredAt = new EnumMap<>(ConversationState.class);
        for (NodeTuple tuple : statesNode.getValue()) {
            ConversationState state = state(scalar(tuple.getKeyNode(), statesNode, "state name"), tuple.getKeyNode());
            declaredAt.put(state, tuple.getKeyNode());
            if (!(tuple.getValueNode() instanceof MappingNode body)) {
                throw fail(tuple.getKeyNode(), "state '" + state.value() + "' needs instructions and transitions");
            }
            Map<String, Node> stateFields = fields(body);
            Node text = stateFields.get("instructions");
            if (!(text instanceof ScalarNode s) || s.getValue().isBlank()) {
                throw fail(tuple.getKeyNode(), "state '" + state.value() + "' has no instructions");
            }
            instructions.put(state, s.getValue().trim());
            Set<ConversationState> to = EnumSet.noneOf(ConversationState.class);
            if (stateFields.get("transitions") instanceof SequenceNode list) {
                for (Node target : list.getValue()) {
                    to.add(state(scalar(target, list, "transition"), target));
                }
            } else if (stateFields.get("transitions") != null) {
                throw fail(stateFields.get("transitions"), "transitions of '" + state.value() + "' must be a list of states");
            }
            transitions.put(state, to);
        }

        for (ConversationState state : ConversationState.values()) {
            if (!declaredAt.containsKey(state)) {
                throw fail(statesNode, "state '" + state.value() + "' is not declared");
            }
            if (state != ConversationState.STOP && !transitions.get(state).contains(ConversationState.STOP)) {
                throw fail(declaredAt.get(state), "state '" + state.value() + "' must allow stop: an opt-out is always possible");
            }
        }
        Set<ConversationState> reachable = reachableFrom(initial, transitions);
        for (ConversationState state : ConversationState.values()) {
            if (!reachable.contains(state)) {
                throw fail(declaredAt.get(state), "state '" + state.value() + "' is unreachable from '" + initial.value() + "'");
            }
        }
        return new ConversationFlow(initial, transitions, instructions);
    }

    private static Set<ConversationState> reachableFrom(ConversationState initial,
            Map<ConversationState, Set<ConversationState>> transitions) {
        Set<ConversationState> seen = EnumSet.of(initial);
        Deque<ConversationState> todo = new ArrayDeque<>(Set.of(initial));
        while (!todo.isEmpty()) {
            for (ConversationState next : transitions.getOrDefault(todo.pop(), Set.of())) {
                if (seen.add(next)) {
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    private Map<String, Node> fields(MappingNode node) {
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            fields.put(scalar(t.getKeyNode(), node, "key"), t.getValueNode());
        }
        return fields;
    }

    private String scalar(Node node, Node parent, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw fail(node == null ? parent : node, what + " must be a plain value");
        }
        return s.getValue();
    }

    private ConversationState state(String name, Node at) {
        for (ConversationState s : ConversationState.values()) {
            if (s.value().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw fail(at, "unknown state '" + name + "'");
    }

    private InvalidConfigException fail(Node at, String problem) {
        String line = at == null ? "" : " line " + (at.getStartMark().getLine() + 1) + ":";
        return new InvalidConfigException(file + ":" + line + " " + problem);
    }
}
