package com.retentionhub.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRowsTest {

    @Test
    void shouldReadQuotedFieldsWithCommasQuotesAndLineBreaks() {
        List<List<String>> rows = CsvRows
                .parse("\uFEFFphone,name\r\n\"+1 (415) 555-0100\",\"Reyes, Dana \"\"DJ\"\"\"\n4155550101,\"two\nlines\"\n");

        assertThat(rows).containsExactly(List.of("phone", "name"), List.of("+1 (415) 555-0100", "Reyes, Dana \"DJ\""),
                List.of("4155550101", "two\nlines"));
    }

    @Test
    void shouldKeepALastRowWithoutANewline() {
        assertThat(CsvRows.parse("a,b\n1,")).containsExactly(List.of("a", "b"), List.of("1", ""));
    }
}
