package com.retentionhub.consent;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.ConfigFiles;
import jakarta.validation.Validation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The deterministic layers alone against a labelled set of realistic texts: at least 95% recall on
 * opt-outs and on escalations, at most 5% false positives on ordinary texts that merely contain
 * words like stop, cancel, end or kill.
 */
class MessageLayersLabelledSetTest {

    private static final MessageLayers LAYERS = new MessageLayers(ConfigFiles.load(Path.of("config/phrases.yaml"), PhraseLists.class,
            Validation.buildDefaultValidatorFactory().getValidator()));
    private static final KeywordClassifier KEYWORDS = new KeywordClassifier(ConfigFiles.load(Path.of("config/keywords.yaml"),
            KeywordLists.class, Validation.buildDefaultValidatorFactory().getValidator()));

    private record Labelled(String label, String text) {}

    @Test
    void shouldMeetRecallAndFalsePositiveTargetsOnTheLabelledSet() throws Exception {
        List<Labelled> set = load();
        assertThat(set).hasSizeGreaterThanOrEqualTo(60);
        List<String> missedOptOuts = new ArrayList<>();
        List<String> missedEscalations = new ArrayList<>();
        List<String> falsePositives = new ArrayList<>();
        int optOuts = 0;
        int escalations = 0;
        int ordinary = 0;
        for (Labelled m : set) {
            MessageLayers.Reading r = LAYERS.read(m.text());
            boolean optOut = r.optOut() || KEYWORDS.classify(m.text()).equals(Optional.of(Keyword.OPT_OUT));
            if (m.label().equals("optout")) {
                optOuts++;
                if (!optOut) {
                    missedOptOuts.add(m.text());
                }
            } else if (m.label().startsWith("escalate:")) {
                escalations++;
                if (r.escalation().isEmpty()) {
                    missedEscalations.add(m.text());
                }
            } else {
                ordinary++;
                if (optOut || r.escalation().isPresent() || r.ambiguous()) {
                    falsePositives.add(m.text() + " -> " + r);
                }
            }
        }

        double optOutRecall = 1.0 - (double) missedOptOuts.size() / optOuts;
        double escalationRecall = 1.0 - (double) missedEscalations.size() / escalations;
        double falsePositiveRate = (double) falsePositives.size() / ordinary;
        System.out.printf("labelled set: opt-out recall %.3f (%d), escalation recall %.3f (%d), false positives %.3f (%d)%n",
                optOutRecall, optOuts, escalationRecall, escalations, falsePositiveRate, ordinary);
        assertThat(optOutRecall).as("missed opt-outs %s", missedOptOuts).isGreaterThanOrEqualTo(0.95);
        assertThat(escalationRecall).as("missed escalations %s", missedEscalations).isGreaterThanOrEqualTo(0.95);
        assertThat(falsePositiveRate).as("false positives %s", falsePositives).isLessThanOrEqualTo(0.05);
    }

    @Test
    void shouldNameTheEscalationClass() {
        assertThat(LAYERS.read("We will sue you").escalation()).contains("legal");
        assertThat(LAYERS.read("my throat is swelling after the injection").escalation()).contains("medical");
    }

    @Test
    void shouldTreatAShortNoThanksAsAmbiguousNotAsARevocation() {
        MessageLayers.Reading r = LAYERS.read("No thanks.");

        assertThat(r.optOut()).isFalse();
        assertThat(r.ambiguous()).isTrue();
    }

    private static List<Labelled> load() throws Exception {
        List<Labelled> set = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/labelled/messages.tsv"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", 2);
            set.add(new Labelled(parts[0], parts[1]));
        }
        return set;
    }
}
