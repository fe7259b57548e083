package com.retentionhub.platform;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV for staff downloads. A cell that a spreadsheet would run as a formula (it begins with
 * {@code = + - @}, a tab or a carriage return) is written with a leading apostrophe, so an exported
 * customer text can never execute in the reader's spreadsheet (CSV injection). Numbers are
 * written as they are: a negative figure is data, not a formula.
 */
public final class CsvWriter {

    private CsvWriter() {}

    /** A header of the given columns, then one line per row, cells in column order. */
    public static String write(List<String> columns, Collection<? extends Map<String, ?>> rows) {
        StringBuilder out = new StringBuilder();
        line(out, columns);
        for (Map<String, ?> row : rows) {
            line(out, columns.stream().map(row::get).toList());
        }
        return out.toString();
    }

    private static void line(StringBuilder out, List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String s = value instanceof Number ? value.toString() : neutralise(value.toString());
        boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
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
