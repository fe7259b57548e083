package com.retentionhub.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The published business-event schema ({@code config/events.schema.json}) as a JSON Schema 2020-12 validator, formats asserted. */
public final class EventSchema {

    private static final JsonSchema SCHEMA = load();

    private EventSchema() {}

    /** What in the event breaks the schema; empty when it conforms. */
    public static List<String> violations(JsonNode event) {
        return SCHEMA.validate(event).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    public static void assertConforms(JsonNode event) {
        assertThat(violations(event)).as("%s against config/events.schema.json", event).isEmpty();
    }

    private static JsonSchema load() {
        // occurredAt is a date-time: 2020-12 only annotates formats unless told to assert them.
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                    .getSchema(Files.readString(Path.of("config/events.schema.json")), InputFormat.JSON, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
