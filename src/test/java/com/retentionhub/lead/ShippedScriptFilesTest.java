package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.retentionhub.conversation.Segments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The scripts in config/scripts, as a small business would send them: short texts, and every first contact says who and how to opt out. */
class ShippedScriptFilesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** The first message a lead gets on each channel. */
    private static final List<String> FIRST_CONTACTS = List.of("meta-welcome-email", "meta-welcome-sms", "re-engage-opened-email");

    @Test
    void shouldShipAScriptForEveryStepOfTheShippedSequences() throws IOException {
        Map<String, JsonNode> scripts = scripts();
        try (Stream<Path> files = Files.list(Path.of("config/sequences"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sequence.yaml")).toList()) {
                for (JsonNode step : YAML.readTree(f.toFile()).get("steps")) {
                    JsonNode script = scripts.get(step.get("script").asText());
                    assertThat(script).as(f + " names " + step.get("script").asText()).isNotNull();
                    assertThat(script.get("channel").asText()).as(step.get("script").asText()).isEqualTo(step.get("channel").asText());
                }
            }
        }
        assertThat(scripts).containsKeys("re-engage-opened-email", "callback"); // the smart re-engagement's
    }

    @Test
    void shouldKeepEveryTextWithinTwoSegmentsAndNameTheBusinessAndTheOptOutInFirstContacts() throws IOException {
        for (JsonNode script : scripts().values()) {
            String name = script.get("name").asText();
            // Rendered for the shipped business and a longish first name.
            String text = script.get("body").asText().replace("{{business}}", "Green Shield Pest Control").replace("{{firstName}}",
                    "Christopher");
            if (script.get("channel").asText().equals("SMS")) {
                Segments segments = Segments.of(text);
                assertThat(segments.encoding()).as(name + " stays GSM-7 (no emoji, no curly quotes)").isEqualTo(Segments.Encoding.GSM7);
                assertThat(segments.count()).as(name).isLessThanOrEqualTo(2);
            }
            if (FIRST_CONTACTS.contains(name)) {
                assertThat(script.get("body").asText()).as(name).contains("{{business}}").contains("Reply STOP to opt out");
            }
        }
    }

    private static Map<String, JsonNode> scripts() throws IOException {
        Map<String, JsonNode> found = new HashMap<>();
        try (Stream<Path> files = Files.list(Path.of("config/scripts"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".script.yaml")).toList()) {
                JsonNode s = YAML.readTree(f.toFile());
                found.put(s.get("name").asText(), s);
            }
        }
        return found;
    }
}
