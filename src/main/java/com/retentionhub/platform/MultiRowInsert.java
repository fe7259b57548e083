package com.retentionhub.platform;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One {@code INSERT ... VALUES (...), (...) ON CONFLICT DO NOTHING} per chunk of rows instead of one
 * statement per row: under group commit, the number of statements is what PostgreSQL pays for.
 * Portable between PostgreSQL and H2.
 */
public final class MultiRowInsert {

    /** Stays well under the 32,767 bind parameters a PostgreSQL statement may carry. */
    private static final int MAX_PARAMETERS = 30_000;

    private MultiRowInsert() {}

    /** {@code ?, ?, ...}: the bind markers of an {@code IN (...)} list of {@code n} values. */
    public static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** Inserts the rows, skipping any that conflict with a unique key; returns how many were inserted. */
    public static int insertIgnoringConflicts(JdbcTemplate jdbc, String table, List<String> columns, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return 0;
        }
        String head = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ";
        String tuple = "(" + placeholders(columns.size()) + ")";
        int perChunk = Math.max(1, MAX_PARAMETERS / columns.size());
        int inserted = 0;
        for (int from = 0; from < rows.size(); from += perChunk) {
            List<Object[]> chunk = rows.subList(from, Math.min(rows.size(), from + perChunk));
            List<Object> args = new ArrayList<>(chunk.size() * columns.size());
            chunk.forEach(r -> Collections.addAll(args, r));
            String sql = head + String.join(", ", Collections.nCopies(chunk.size(), tuple)) + " ON CONFLICT DO NOTHING";
            inserted += jdbc.update(sql, args.toArray());
        }
        return inserted;
    }
}
