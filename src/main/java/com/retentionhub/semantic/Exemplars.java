package com.retentionhub.semantic;

import com.retentionhub.platform.ConfigFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Labelled reference texts ({@code label<TAB>lang<TAB>text}, with that header) that the semantic layer learns from. */
public final class Exemplars {

    /** One labelled text. */
    public record Exemplar(SemanticLabel label, String lang, String text) {}

    private Exemplars() {}

    /** Reads and validates a file; a bad line stops start-up and is named. */
    public static List<Exemplar> load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigFiles.InvalidConfigException(file + ": cannot be read: " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    static List<Exemplar> parse(String name, List<String> lines) {
        if (lines.isEmpty() || !lines.get(0).equals("label\tlang\ttext")) {
            throw new ConfigFiles.InvalidConfigException(name + ": line 1 must be the header label<TAB>lang<TAB>text");
        }
        List<Exemplar> out = new ArrayList<>(lines.size());
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            if (parts.length != 3 || parts[2].isBlank()) {
                throw new ConfigFiles.InvalidConfigException(name + ": line " + (i + 1) + " must be label<TAB>lang<TAB>text");
            }
            int lineNo = i + 1;
            SemanticLabel label = SemanticLabel.fromCode(parts[0]).orElseThrow(() -> new ConfigFiles.InvalidConfigException(
                    name + ": line " + lineNo + ": unknown label '" + parts[0] + "'"));
            out.add(new Exemplar(label, parts[1], parts[2]));
        }
        for (SemanticLabel label : SemanticLabel.values()) {
            if (out.stream().noneMatch(e -> e.label() == label)) {
                throw new ConfigFiles.InvalidConfigException(name + ": no exemplar for label '" + label.code() + "'");
            }
        }
        return out;
    }
}
