package com.retentionhub.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** A customer's text put into a JSON request template stays one string value, exactly as written. */
class HttpSmsMapperTest {

    @Test
    void shouldKeepQuotesBackslashesAndControlCharactersInsideTheJsonStringWhenFillingATemplate() throws Exception {
        String text = "Say \"hi\" \\ back\nnow\r\tok \u0001 \u00e9 \uD83D\uDE00 </script>";

        String body = "{\"body\":\"" + HttpSmsMapper.jsonEscape(text) + "\",\"to\":\"+14155550100\"}";

        var node = new ObjectMapper().readTree(body);
        assertThat(node.get("body").asText()).isEqualTo(text);
        assertThat(node.get("to").asText()).isEqualTo("+14155550100");
    }
}
