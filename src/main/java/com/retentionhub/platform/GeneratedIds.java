package com.retentionhub.platform;

import java.sql.PreparedStatement;
import java.util.OptionalLong;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * A single-row INSERT that hands back the new row's {@code id} in the same round trip, portably:
 * generated keys rather than {@code RETURNING}, which H2 does not speak.
 */
public final class GeneratedIds {

    private GeneratedIds() {}

    /** The inserted row's id, or empty when the insert wrote nothing ({@code ON CONFLICT DO NOTHING} met an existing key). */
    public static OptionalLong insert(JdbcTemplate jdbc, String sql, Object... values) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        int inserted = jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(sql, new String[] {"id"});
            new ArgumentPreparedStatementSetter(values).setValues(ps);
            return ps;
        }, key);
        return inserted == 1 ? OptionalLong.of(key.getKeyAs(Long.class)) : OptionalLong.empty();
    }
}
