package com.retentionhub.lead;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Contacts, one per E.164 phone. */
@Component
public class ContactStore {

    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final Clock clock;

    public ContactStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.clock = clock;
    }

    /** Creates the contacts that do not exist yet and returns the id of each phone, in one round trip each way. */
    public Map<String, Long> ensure(Collection<String> phones) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(phones.size());
        for (String phone : phones) {
            rows.add(new Object[] {phone, now});
        }
        jdbc.batchUpdate("INSERT INTO contact (phone, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", rows);
        Map<String, Long> ids = new HashMap<>();
        named.query("SELECT phone, id FROM contact WHERE phone IN (:phones)", new MapSqlParameterSource("phones", phones),
                rs -> {
                    ids.put(rs.getString(1), rs.getLong(2));
                });
        return ids;
    }

    public long ensure(String phone) {
        return ensure(List.of(phone)).get(phone);
    }

    /** Marks a number the provider says cannot receive texts (invalid or not mobile). */
    public void markInvalid(String phone) {
        jdbc.update("UPDATE contact SET phone_valid = FALSE WHERE phone = ?", phone);
    }
}
