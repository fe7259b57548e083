package com.retentionhub.lead;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** RFC 4180 CSV: quoted fields with embedded commas, quotes ("") and line breaks; CRLF or LF rows. */
public final class CsvRows {

    /**
     * Blank lines stay rows (so row numbers match the spreadsheet's); as forgiving as spreadsheets'
     * own exports need: text after a closing quote is kept, and a quote left open runs to the end.
     */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(false).setTrailingData(true).setLenientEof(true)
            .get();

    private CsvRows() {}

    /** Every row as its fields, in order; blank lines are kept as rows with one empty field. */
    public static List<List<String>> parse(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text; // a spreadsheet's byte-order mark
        List<List<String>> rows = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(body, FORMAT)) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("the file is not valid CSV: " + e.getMessage(), e);
        }
        return rows;
    }
}
