package com.retentionhub.lead;

import com.retentionhub.platform.IdCache;
import com.retentionhub.platform.MultiRowInsert;
import java.sql.Timestamp;
import java.time.Clock;
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
    private final IdCache<String> known = new IdCache<>(200_000);

    public ContactStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.clock = clock;
    }

    /** The contact id of each phone, creating the contacts that do not exist yet. */
    public Map<String, Long> ensure(Collection<String> phones) {
        return known.resolve(phones, this::select, missing -> {
            Timestamp now = Timestamp.from(clock.instant());
            MultiRowInsert.insertIgnoringConflicts(jdbc, "contact", List.of("phone", "created_at"),
                    missing.stream().map(phone -> new Object[] {phone, now}).toList());
        });
    }

    public long ensure(String phone) {
        return ensure(List.of(phone)).get(phone);
    }

    /** Marks a number the provider says cannot receive texts (invalid or not mobile). */
    public void markInvalid(String phone) {
        jdbc.update("UPDATE contact SET phone_valid = FALSE WHERE phone = ?", phone);
    }

    private Map<String, Long> select(List<String> phones) {
        Map<String, Long> ids = new HashMap<>();
        named.query("SELECT phone, id FROM contact WHERE phone IN (:phones)", new MapSqlParameterSource("phones", phones), rs -> {
            ids.put(rs.getString(1), rs.getLong(2));
        });
        return ids;
    }
}
