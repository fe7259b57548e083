package com.retentionhub.conversation;

import com.retentionhub.lead.WarmLeads;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.SqlValues;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What someone answering the business's own text hears first, decided before any model is asked:
 * the business's fixed acknowledgement ({@code campaignReplyAcknowledgement} in business.yaml, as the
 * warm-lead farm had "Thanks! We'll call you shortly.") for the first warm reply to a campaign text,
 * and, to "who is this?", the business's name and the text it sent, so the person knows why it
 * texted instead of being told how to stop.
 */
@Component
public class CampaignReplies {

    private static final int QUOTED = 120;

    private final JdbcTemplate jdbc;
    private final BusinessProfile business;
    private final Clock clock;

    public CampaignReplies(JdbcTemplate jdbc, BusinessProfile business, Clock clock) {
        this.jdbc = jdbc;
        this.business = business;
        this.clock = clock;
    }

    /**
     * The fixed acknowledgement, when the business configured one, this text is warm, and it is the
     * first answer to a campaign text sent within {@link WarmLeads#ANSWER_WINDOW}: nothing has been
     * replied to this phone since that text went out.
     */
    public Optional<String> acknowledgement(String phone, String text) {
        String ack = business.campaignReplyAcknowledgement();
        if (ack == null || !WarmReplies.isWarm(text)) {
            return Optional.empty();
        }
        List<Instant> campaignText = jdbc.query(
                "SELECT max(sent_at) FROM outbox_sends WHERE phone = ? AND purpose = 'message' AND campaign IS NOT NULL"
                        + " AND sent_at IS NOT NULL AND sent_at > ?",
                (rs, i) -> SqlValues.instant(rs, 1), phone,
                Timestamp.from(clock.instant().minus(WarmLeads.ANSWER_WINDOW)));
        if (campaignText.isEmpty() || campaignText.get(0) == null) {
            return Optional.empty();
        }
        Integer repliedSince = jdbc.queryForObject(
                "SELECT count(*) FROM outbox_sends WHERE phone = ? AND purpose = 'reply' AND created_at >= ?",
                Integer.class, phone, Timestamp.from(campaignText.get(0)));
        return repliedSince != null && repliedSince == 0 ? Optional.of(ReplyText.fit(ack)) : Optional.empty();
    }

    /** Who is texting and why: the business's name and the last text it sent this person, with how to stop. */
    public String identity(String phone) {
        List<Map<String, Object>> last = jdbc
                .queryForList("SELECT body FROM outbox_sends WHERE phone = ? AND purpose = 'message' AND channel = 'sms'"
                        + " ORDER BY created_at DESC, id DESC LIMIT 1", phone);
        String why = last.isEmpty() ? "" : " We texted you: \"" + quote((String) last.get(0).get("body")) + "\"";
        return ReplyText.fit("This is " + business.name() + "." + why + " Reply with any question, or STOP to opt out.");
    }

    private static String quote(String body) {
        String flat = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return flat.length() <= QUOTED ? flat : flat.substring(0, QUOTED - 3) + "...";
    }
}
