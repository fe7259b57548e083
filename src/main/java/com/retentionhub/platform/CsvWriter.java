package com.retentionhub.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * RFC 4180 CSV for staff downloads. A cell that a spreadsheet would run as a formula (it begins with
 * {@code = + - @}, a tab or a carriage return) is written with a leading apostrophe, so an exported
 * customer text can never execute in the reader's spreadsheet (CSV injection). Numbers are
 * written as they are: a negative figure is data, not a formula.
 */
public final class CsvWriter {

    /** Quoted only where needed, CRLF after every row; a missing value is an empty cell. */
    private static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private CsvWriter() {}

    /** A header of the given columns, then one line per row, cells in column order. */
    public static String write(List<String> columns, Collection<? extends Map<String, ?>> rows) {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter printer = new CSVPrinter(out, FORMAT)) {
            printer.printRecord(columns.stream().map(CsvWriter::cell).toList());
            for (Map<String, ?> row : rows) {
                List<String> cells = new ArrayList<>(columns.size());
                for (String column : columns) {
                    cells.add(cell(row.get(column)));
                }
                printer.printRecord(cells);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not fail
        }
        return out.toString();
    }

    /** The text of one cell, neutralised unless it is a number; null stays null (an empty cell). */
    static String cell(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof Number ? value.toString() : neutralise(value.toString());
    }

    /** Text that would start a formula gets a leading apostrophe. */
    public static String neutralise(String s) {
        if (s.isEmpty()) {
            return s;
        }
        char first = s.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + s : s;
    }
}
