package com.retentionhub.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.ConfigFiles;
import jakarta.validation.Validation;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeywordClassifierTest {

    private static final KeywordClassifier CLASSIFIER = new KeywordClassifier(ConfigFiles.load(Path.of("config/keywords.yaml"),
            KeywordLists.class, Validation.buildDefaultValidatorFactory().getValidator()));

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", "Stop.", "  STOP  ", "stop!!!", "STOPALL", "stop all", "Stop All.", "stop-all", "UNSUBSCRIBE",
            "unsubscribe", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "opt out", "opt-out", "Opt Out!", "OPT_OUT", "baja", "Parar",
            "arrêt", "ARRET", "désabonner"})
    void shouldRecogniseOptOutWhenTheWholeMessageIsAKeyword(String text) {
        assertThat(CLASSIFIER.classify(text)).contains(Keyword.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"don't stop by before noon", "stop by tomorrow", "can I cancel Tuesday?", "at the end of the day",
            "I quit smoking",
            "stopped", "unstoppable", "stop it please I have a question", "", "Stop and go"})
    void shouldNotRecogniseOptOutInOrdinarySentences(String text) {
        assertThat(CLASSIFIER.classify(text)).isNotEqualTo(Optional.of(Keyword.OPT_OUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "start", "Unstop", "YES", "yes!", "Sí", "oui"})
    void shouldRecogniseOptIn(String text) {
        assertThat(CLASSIFIER.classify(text)).contains(Keyword.OPT_IN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HELP", "help?", "Info", "ayuda", "AIDE"})
    void shouldRecogniseHelp(String text) {
        assertThat(CLASSIFIER.classify(text)).contains(Keyword.HELP);
    }

    @Test
    void shouldIgnoreNullAndLongTexts() {
        assertThat(CLASSIFIER.classify(null)).isEmpty();
        assertThat(CLASSIFIER.classify("stop ".repeat(20))).isEmpty();
    }
}
