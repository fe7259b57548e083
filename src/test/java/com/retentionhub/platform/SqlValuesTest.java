package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** What each driver hands back becomes the same Java value. */
class SqlValuesTest {

    private static final Instant AT = Instant.parse("2026-11-18T19:00:00Z");

    @Test
    void shouldReadATimestampTheSameWhicheverDriverReturnedIt() {
        assertThat(SqlValues.instant(Timestamp.from(AT))).isEqualTo(AT); // PostgreSQL
        assertThat(SqlValues.instant(OffsetDateTime.ofInstant(AT, ZoneOffset.ofHours(-5)))).isEqualTo(AT); // H2
        assertThat(SqlValues.instant(null)).isNull();
        assertThatThrownBy(() -> SqlValues.instant("2026-11-18")).hasMessageContaining("not a timestamp: java.lang.String");
    }

    @Test
    void shouldReadANumberTheSameWhicheverTypeTheDriverChose() {
        assertThat(SqlValues.toLong(7)).isEqualTo(7L);
        assertThat(SqlValues.toLong(7L)).isEqualTo(7L);
        assertThat(SqlValues.toInt(new BigDecimal("7"))).isEqualTo(7);
        assertThat(SqlValues.intOrNull(null)).isNull();
        assertThat(SqlValues.longOrNull((short) 3)).isEqualTo(3L);
        assertThat(SqlValues.decimal(12L)).isEqualByComparingTo("12");
        assertThat(SqlValues.decimal(new BigDecimal("49.00"))).isEqualByComparingTo("49.00");
        assertThatThrownBy(() -> SqlValues.toLong(null)).hasMessageContaining("NULL");
    }
}
