package com.retentionhub.extension;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/extending.md lists every hub: endpoint with its headers and body fields, and every event type
 * with its data fields, as the code and config/events.schema.json define them.
 */
class ExtendingDocsTest {

    private static String doc() throws Exception {
        return Files.readString(Path.of("docs/extending.md"));
    }

    /** The text of the section under {@code ### `title`}, up to the next heading. */
    private static String section(String doc, String title) {
        String heading = "### `" + title + "`";
        int start = doc.indexOf(heading);
        assertThat(start).as("docs/extending.md has a section " + heading).isNotNegative();
        int end = doc.indexOf("\n#", start + heading.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    @Test
    void shouldDocumentEveryEndpointWithItsHeadersAndBodyFields() throws Exception {
        String doc = doc();
        for (HubEndpoint.Capability c : HubEndpoint.Capability.values()) {
            String section = section(doc, "hub:" + c.path());
            for (String field : HubCapabilities.BODY_FIELDS.getOrDefault(c.path(), List.of())) {
                assertThat(section).as("hub:" + c.path() + " body field " + field).contains("`" + field + "`");
            }
        }
        for (String header : HubHeaders.ALL) {
            assertThat(doc).as("header " + header).contains("| `" + header + "` |");
        }
        assertThat(section(doc, "hub:messages")).contains("`" + HubHeaders.IDEMPOTENCY_KEY + "`");
        assertThat(section(doc, "hub:leads")).contains("`" + HubHeaders.LEAD_SOURCE + "`");
        assertThat(section(doc, "hub:consent")).contains("`" + HubHeaders.CONSENT_ACTION + "`");
        assertThat(section(doc, "hub:events")).contains("`" + HubHeaders.EVENT_ID + "`").contains("`" + HubHeaders.EVENT_TYPE + "`")
                .contains("`" + HubHeaders.PHONE + "`");
    }

    @Test
    void shouldDocumentEveryEventTypeWithItsDataFieldsAsTheSchemaHasThem() throws Exception {
        String doc = doc();
        JsonNode schema = new ObjectMapper().readTree(Path.of("config/events.schema.json").toFile());
        List<String> types = new ArrayList<>();
        schema.at("/properties/type/enum").forEach(t -> types.add(t.asText()));
        assertThat(types).containsExactlyInAnyOrderElementsOf(EventTypes.wireNames());
        for (String type : types) {
            String section = section(doc, type);
            schema.at("/$defs/" + type + "/properties").fieldNames()
                    .forEachRemaining(field -> assertThat(section).as(type + " field " + field).contains("`" + field + "`"));
        }
    }
}
