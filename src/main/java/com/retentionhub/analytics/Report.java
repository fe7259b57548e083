package com.retentionhub.analytics;

import com.retentionhub.platform.CsvWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One analytics view: its headline figures and its table. JSON carries both; CSV is the table (the
 * headline figures are in it or derivable from it), with the columns in the order the view built them.
 */
public record Report(String view, Map<String, Object> filter, Map<String, Object> summary, List<Map<String, Object>> rows) {

    public List<String> columns() {
        return rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).keySet());
    }

    public String csv() {
        return CsvWriter.write(columns(), rows);
    }

    /** A row built in column order. */
    static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    /** {@code part / whole}, or null when there is no whole to divide by (shown as an empty cell, not a fake zero). */
    static Double rate(long part, long whole) {
        return whole == 0 ? null : round((double) part / whole);
    }

    static double round(double v) {
        return Math.round(v * 1_000_000d) / 1_000_000d;
    }
}
