package com.retentionhub.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Habits the formatter cannot keep: a type is named by its import, not spelled out in full in the
 * code (the formatter and import order themselves are checked in {@code validate} by
 * formatter-maven-plugin and impsort-maven-plugin). Comments and string literals may name anything.
 */
class SourceHabitsTest {

    static final Pattern QUALIFIED = Pattern
            .compile("(?<![\\w.$])(?:java|javax|jakarta|org|com|io|dev|net|reactor|ch|tools)\\.(?:[a-z][a-z0-9_]*\\.)*[A-Z]\\w*");

    @Test
    void shouldNameTypesByTheirImportsNotInFull() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path root : List.of(Path.of("src/main/java"), Path.of("src/test/java"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    String[] code = codeOnly(String.join("\n", lines)).split("\n", -1);
                    for (int i = 0; i < code.length; i++) {
                        if (code[i].startsWith("import ") || code[i].startsWith("package ")) {
                            continue;
                        }
                        Matcher m = QUALIFIED.matcher(code[i]);
                        if (m.find()) {
                            found.add(f + ":" + (i + 1) + " " + m.group());
                        }
                    }
                }
            }
        }
        assertThat(found).as("fully qualified names in code (import them)").isEmpty();
    }

    @Test
    void shouldSeeCodeButNotCommentsOrStrings() {
        assertThat(QUALIFIED.matcher(codeOnly("var l = new java.util.ArrayList<>();")).find()).isTrue();
        assertThat(QUALIFIED.matcher(codeOnly("// see java.util.ArrayList\nString s = \"java.util.List\"; /* org.x.Y */")).find())
                .isFalse();
        assertThat(QUALIFIED.matcher(codeOnly("String t = \"\"\"\n  java.util.List\n  \"\"\";")).find()).isFalse();
    }

    /** The source with comments, string and char literals and text blocks blanked out, line breaks kept. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            int end;
            if (source.startsWith("//", i)) {
                end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                end = i + 1;
                while (end < n && source.charAt(end) != quote && source.charAt(end) != '\n') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, n);
            } else {
                out.append(source.charAt(i++));
                continue;
            }
            for (int j = i; j < end; j++) {
                out.append(source.charAt(j) == '\n' ? '\n' : ' ');
            }
            i = end;
        }
        return out.toString();
    }
}
