package com.retentionhub.platform;

import java.util.List;
import java.util.Locale;

/**
 * How a staff search box becomes SQL, the same for every list: a case-insensitive substring of the
 * given text conditions, and of the phone column by its digits when the query looks like a phone
 * number ("(415) 555" finds +1415555...; "ab12c34d" is text, not digits).
 */
public final class SearchText {

    private SearchText() {}

    /**
     * Appends {@code AND (cond1 OR cond2 ... [OR phone LIKE ?])} for a non-blank query, each condition
     * taking the escaped {@code %text%} as its one parameter (e.g. {@code "lower(k.name) LIKE ?"}).
     */
    public static void append(String query, StringBuilder where, List<Object> args, String phoneColumn, String... conditions) {
        if (query == null || query.isBlank()) {
            return;
        }
        String like = "%" + likeEscaped(query.trim().toLowerCase(Locale.ROOT)) + "%";
        String digits = query.trim().matches("[\\d\\s()+.-]+") ? query.replaceAll("\\D", "") : "";
        where.append(" AND (").append(String.join(" OR ", conditions));
        for (int i = 0; i < conditions.length; i++) {
            args.add(like);
        }
        if (digits.length() >= 3) {
            where.append(" OR ").append(phoneColumn).append(" LIKE ?");
            args.add("%" + digits + "%");
        }
        where.append(")");
    }

    /** A LIKE pattern's own characters taken literally (the default escape character is the backslash on H2 and PostgreSQL). */
    public static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
