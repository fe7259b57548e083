package com.retentionhub.lead;

import com.retentionhub.platform.Channel;
import com.retentionhub.template.MessageTemplates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Scripts: the Mustache templates steps and A/B variants send, per channel (SMS, EMAIL, CALL). A
 * script is a channel default, or a campaign's own under the same name, which wins for that
 * campaign. Templates are checked when saved, so a broken one never reaches dispatch.
 */
@Component
public class Scripts {

    public static final Set<String> CHANNELS = Set.copyOf(Channel.stepNames());

    public record Script(long id, String name, String channel, String campaign, String subject, String body, String target) {}

    public record Definition(String name, String channel, String campaign, String subject, String body, String target) {}

    /** The (name, channel, campaign) is already taken. */
    public static class Taken extends RuntimeException {
        public Taken() {
            super("a script with this name, channel and campaign exists");
        }
    }

    private static final String COLUMNS = "id, name, channel, campaign, subject, body, target";

    private final JdbcTemplate jdbc;
    private final MessageTemplates templates;
    private final Clock clock;

    public Scripts(JdbcTemplate jdbc, MessageTemplates templates, Clock clock) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.clock = clock;
    }

    public Script create(Definition d) {
        Definition v = validated(d);
        Timestamp now = Timestamp.from(clock.instant());
        try {
            jdbc.update(
                    "INSERT INTO script (name, channel, campaign, subject, body, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    v.name(), v.channel(), v.campaign(), v.subject(), v.body(), v.target(), now, now);
        } catch (DuplicateKeyException e) {
            throw new Taken();
        }
        return jdbc.queryForObject("SELECT " + COLUMNS + " FROM script WHERE name = ? AND channel = ? AND campaign = ?", Scripts::row,
                v.name(),
                v.channel(), v.campaign());
    }

    public Optional<Script> update(long id, Definition d) {
        Definition v = validated(d);
        try {
            int n = jdbc.update(
                    "UPDATE script SET name = ?, channel = ?, campaign = ?, subject = ?, body = ?, target = ?, updated_at = ? WHERE id = ?",
                    v.name(), v.channel(), v.campaign(), v.subject(), v.body(), v.target(), Timestamp.from(clock.instant()), id);
            return n == 0 ? Optional.empty() : get(id);
        } catch (DuplicateKeyException e) {
            throw new Taken();
        }
    }

    public boolean delete(long id) {
        return jdbc.update("DELETE FROM script WHERE id = ?", id) == 1;
    }

    public Optional<Script> get(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM script WHERE id = ?", Scripts::row, id).stream().findFirst();
    }

    /** Every script, or a campaign's own and the defaults. */
    public List<Script> list(String campaign) {
        return campaign == null
                ? jdbc.query("SELECT " + COLUMNS + " FROM script ORDER BY name, channel, campaign", Scripts::row)
                : jdbc.query("SELECT " + COLUMNS + " FROM script WHERE campaign IN (?, '') ORDER BY name, channel, campaign", Scripts::row,
                        campaign);
    }

    /** The script a step or variant names, for a campaign: the campaign's own, else the channel default. */
    public Optional<Script> resolve(String name, String channel, String campaign) {
        List<Script> found = jdbc.query("SELECT " + COLUMNS + " FROM script WHERE name = ? AND channel = ? AND campaign IN (?, '')"
                + " ORDER BY CASE WHEN campaign = '' THEN 1 ELSE 0 END", Scripts::row, name, channel.toUpperCase(Locale.ROOT),
                campaign == null ? "" : campaign);
        return found.stream().findFirst();
    }

    private Definition validated(Definition d) {
        if (d.name() == null || d.name().isBlank() || d.name().length() > 100) {
            throw new IllegalArgumentException("name is required (at most 100 characters)");
        }
        String channel = d.channel() == null ? "" : d.channel().toUpperCase(Locale.ROOT);
        if (!CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("channel must be SMS, EMAIL or CALL");
        }
        if (d.body() == null || (d.body().isBlank() && !channel.equals(Channel.VOICE.stepName()))) {
            throw new IllegalArgumentException("body is required");
        }
        if (channel.equals(Channel.EMAIL.stepName()) && (d.subject() == null || d.subject().isBlank())) {
            throw new IllegalArgumentException("an email script needs a subject");
        }
        try {
            templates.validate(d.body());
            if (d.subject() != null) {
                templates.validate(d.subject());
            }
        } catch (MessageTemplates.TemplateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        return new Definition(d.name().trim(), channel, d.campaign() == null ? "" : d.campaign().trim(), d.subject(), d.body(), d.target());
    }

    private static Script row(ResultSet rs, int i) throws SQLException {
        return new Script(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7));
    }
}
