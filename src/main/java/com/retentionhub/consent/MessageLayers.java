package com.retentionhub.consent;

import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.platform.Texts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The deterministic layers that read every inbound text before anything else: plain-language
 * revocations of consent (handled exactly like STOP), ambiguous maybe-revocations (one
 * clarification), and escalation classes (a human takes over). Fast enough for the webhook path.
 */
public final class MessageLayers {

    /** What the layers found in one text. */
    public record Reading(boolean optOut, boolean ambiguous, Optional<String> escalation) {}

    private final List<Pattern> optOut;
    private final List<Pattern> ambiguous;
    private final Map<String, List<Pattern>> escalation = new LinkedHashMap<>();

    public MessageLayers(PhraseLists lists) {
        this.optOut = compile("optOut", lists.optOut());
        this.ambiguous = compile("ambiguous", lists.ambiguous());
        lists.escalation().forEach((reason, patterns) -> escalation.put(reason, compile("escalation." + reason, patterns)));
    }

    public Reading read(String body) {
        if (body == null || body.isBlank()) {
            return new Reading(false, false, Optional.empty());
        }
        return readNormalised(Texts.normalise(body));
    }

    /** For callers that already normalised the text with {@link Texts#normalise}. */
    public Reading readNormalised(String text) {
        boolean out = matchesAny(optOut, text);
        Optional<String> reason = Optional.empty();
        for (Map.Entry<String, List<Pattern>> e : escalation.entrySet()) {
            if (matchesAny(e.getValue(), text)) {
                reason = Optional.of(e.getKey());
                break;
            }
        }
        return new Reading(out, !out && matchesAny(ambiguous, text), reason);
    }

    private static boolean matchesAny(List<Pattern> patterns, String text) {
        for (Pattern p : patterns) {
            if (p.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> compile(String list, List<String> regexes) {
        List<Pattern> patterns = new ArrayList<>(regexes.size());
        for (int i = 0; i < regexes.size(); i++) {
            try {
                patterns.add(Pattern.compile(regexes.get(i)));
            } catch (PatternSyntaxException e) {
                throw new ConfigFiles.InvalidConfigException(
                        "phrases: " + list + "[" + i + "] is not a valid pattern: " + e.getDescription());
            }
        }
        return patterns;
    }
}
