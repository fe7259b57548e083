package com.retentionhub.semantic;

import com.retentionhub.consent.ConsentSignals;
import com.retentionhub.consent.Keyword;
import com.retentionhub.consent.KeywordClassifier;
import com.retentionhub.consent.KeywordLists;
import com.retentionhub.consent.MessageLayers;
import com.retentionhub.consent.PhraseLists;
import com.retentionhub.platform.ConfigFiles;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The whole stack the processing stage runs (keywords, phrase layers, semantic layer) scored on one
 * labelled split: recall per class, false opt-outs and false escalations on ordinary texts, and the
 * confusion between classes. A flagged escalation counts as caught (a human sees it); a clarified
 * opt-out does not (consent is not revoked until the customer answers).
 */
final class LayerEvaluation {

    static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();
    static final MessageLayers PHRASES = new MessageLayers(ConfigFiles.load(Path.of("config/phrases.yaml"), PhraseLists.class, VALIDATOR));
    static final ConsentSignals SIGNALS = new ConsentSignals(new KeywordClassifier(ConfigFiles.load(Path.of("config/keywords.yaml"),
            KeywordLists.class, VALIDATOR)), PHRASES);

    /** What the stack did with one text. */
    record Outcome(Exemplars.Exemplar text, boolean optedOut, boolean clarified, boolean escalated, SemanticLabel predicted) {}

    final List<Outcome> outcomes = new ArrayList<>();

    static LayerEvaluation run(SemanticClassifier classifier, LayeredDecision decisions, List<Exemplars.Exemplar> split) {
        LayerEvaluation eval = new LayerEvaluation();
        List<SemanticClassifier.Reading> readings = classifier.readAll(split.stream().map(Exemplars.Exemplar::text).toList());
        for (int i = 0; i < split.size(); i++) {
            Exemplars.Exemplar e = split.get(i);
            Optional<Keyword> keyword = SIGNALS.classify(e.text());
            MessageLayers.Reading phrase = PHRASES.read(e.text());
            LayeredDecision.Decision d = decisions.decide(readings.get(i));
            boolean optedOut = keyword.map(Keyword::optsOut).orElse(false) || d.optOut() == LayeredDecision.Level.ACT;
            boolean clarified = !optedOut && (keyword.equals(Optional.of(Keyword.AMBIGUOUS)) || d.optOut() == LayeredDecision.Level.BAND);
            boolean escalated = phrase.escalation().isPresent() || d.escalation() != LayeredDecision.Level.NONE;
            SemanticLabel predicted = optedOut
                    ? SemanticLabel.OPT_OUT
                    : escalated
                            ? phrase.escalation().flatMap(SemanticLabel::fromCode).filter(SemanticLabel::escalates)
                                    .orElse(d.escalationClass())
                            : readings.get(i).label() == SemanticLabel.INTEREST ? SemanticLabel.INTEREST : SemanticLabel.ORDINARY;
            eval.outcomes.add(new Outcome(e, optedOut, clarified, escalated, predicted));
        }
        return eval;
    }

    double recall(SemanticLabel label) {
        List<Outcome> of = of(label);
        long caught = of.stream().filter(o -> label == SemanticLabel.OPT_OUT ? o.optedOut() : o.escalated()).count();
        return of.isEmpty() ? Double.NaN : (double) caught / of.size();
    }

    double falseOptOutRate() {
        List<Outcome> ordinary = ordinaryAndInterest();
        return (double) ordinary.stream().filter(Outcome::optedOut).count() / ordinary.size();
    }

    double falseEscalationRate() {
        List<Outcome> ordinary = ordinaryAndInterest();
        return (double) ordinary.stream().filter(Outcome::escalated).count() / ordinary.size();
    }

    /** False escalations the phrase layer alone makes (the semantic layer cannot take those back). */
    double phraseFalseEscalationRate() {
        List<Outcome> ordinary = ordinaryAndInterest();
        return (double) ordinary.stream().filter(o -> PHRASES.read(o.text().text()).escalation().isPresent()).count() / ordinary.size();
    }

    double clarificationRate() {
        List<Outcome> ordinary = ordinaryAndInterest();
        return (double) ordinary.stream().filter(Outcome::clarified).count() / ordinary.size();
    }

    /** Precision of a class as the stack predicts it (opt-out acted, escalation class, interest, ordinary). */
    double precision(SemanticLabel label) {
        List<Outcome> predicted = outcomes.stream().filter(o -> o.predicted() == label).toList();
        return predicted.isEmpty()
                ? Double.NaN
                : (double) predicted.stream().filter(o -> o.text().label() == label).count() / predicted.size();
    }

    double classRecall(SemanticLabel label) {
        List<Outcome> of = of(label);
        return of.isEmpty() ? Double.NaN : (double) of.stream().filter(o -> o.predicted() == label).count() / of.size();
    }

    /** The "ordinary texts" of the false-rate targets (label ordinary, hard negatives included; warm interest is its own class). */
    List<Outcome> ordinaryAndInterest() {
        return outcomes.stream().filter(o -> o.text().label() == SemanticLabel.ORDINARY).toList();
    }

    List<Outcome> of(SemanticLabel label) {
        return outcomes.stream().filter(o -> o.text().label() == label).toList();
    }

    Map<SemanticLabel, Map<SemanticLabel, Integer>> confusion() {
        Map<SemanticLabel, Map<SemanticLabel, Integer>> m = new EnumMap<>(SemanticLabel.class);
        for (Outcome o : outcomes) {
            m.computeIfAbsent(o.text().label(), k -> new EnumMap<>(SemanticLabel.class)).merge(o.predicted(), 1, Integer::sum);
        }
        return m;
    }

    String report(String name) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s (%d texts)%n", name, outcomes.size()));
        sb.append(String.format(Locale.ROOT,
                "  caught: opt-out %.3f threat %.3f legal %.3f medical %.3f anger %.3f | false opt-out %.3f false escalation %.3f (phrases alone %.3f) clarified %.3f%n",
                recall(SemanticLabel.OPT_OUT), recall(SemanticLabel.THREAT), recall(SemanticLabel.LEGAL), recall(SemanticLabel.MEDICAL),
                recall(SemanticLabel.ANGER), falseOptOutRate(), falseEscalationRate(), phraseFalseEscalationRate(), clarificationRate()));
        sb.append("  label     precision recall  | predicted:");
        for (SemanticLabel l : SemanticLabel.values()) {
            sb.append(' ').append(l.code());
        }
        sb.append('\n');
        Map<SemanticLabel, Map<SemanticLabel, Integer>> c = confusion();
        for (SemanticLabel l : SemanticLabel.values()) {
            sb.append(String.format(Locale.ROOT, "  %-9s %.3f     %.3f   |", l.code(), precision(l), classRecall(l)));
            for (SemanticLabel p : SemanticLabel.values()) {
                sb.append(' ').append(c.getOrDefault(l, Map.of()).getOrDefault(p, 0));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    String misses(SemanticLabel label) {
        StringBuilder sb = new StringBuilder();
        for (Outcome o : outcomes) {
            boolean wrong = o.text().label() == label && (label == SemanticLabel.OPT_OUT
                    ? !o.optedOut()
                    : label.escalates()
                            ? !o.escalated()
                            : (o.optedOut() || o.escalated()));
            if (wrong) {
                sb.append("    ").append(label.code()).append(" -> ").append(o.predicted().code()).append(": ").append(o.text().text())
                        .append('\n');
            }
        }
        return sb.toString();
    }
}
