package com.retentionhub.consent;

import com.retentionhub.platform.Texts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Recognises a compliance keyword when it is the whole message. Case, accents, spacing, hyphens
 * and punctuation are ignored ("Stop!", "opt-out", "STOP ALL", "arrêt"), so "don't stop by before
 * noon" is not a keyword but "  stop. " is.
 */
public final class KeywordClassifier {

    private final Map<String, Keyword> byNormalForm = new HashMap<>();

    public KeywordClassifier(KeywordLists lists) {
        // Opt-out wins over anything else that normalises to the same form: when in doubt, stop.
        register(lists.help(), Keyword.HELP);
        register(lists.optIn(), Keyword.OPT_IN);
        register(lists.optOut(), Keyword.OPT_OUT);
    }

    private void register(Map<String, List<String>> perLanguage, Keyword keyword) {
        if (perLanguage == null) {
            return;
        }
        perLanguage.values().forEach(words -> words.forEach(w -> {
            String normal = normalise(w);
            if (!normal.isEmpty()) {
                byNormalForm.put(normal, keyword);
            }
        }));
    }

    public Optional<Keyword> classify(String body) {
        if (body == null || body.length() > 40) {
            return Optional.empty();
        }
        return Optional.ofNullable(byNormalForm.get(normalise(body)));
    }

    /** Lower-case letters and digits only, accents removed: {@link Texts#normalise} without its spaces. */
    static String normalise(String text) {
        return Texts.normalise(text).replace(" ", "");
    }
}
