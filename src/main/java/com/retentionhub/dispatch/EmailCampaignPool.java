package com.retentionhub.dispatch;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.MultiRowInsert;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which provider campaign an email goes to. An email provider like Instantly sends by adding the
 * lead to a campaign, and a lead is in a campaign once: a second add with skip_if_in_campaign is
 * skipped, so a sequence's second and third emails to the same campaign never arrived. The
 * configured target may therefore be a list of campaigns ("a,b,c", each a one-step campaign that
 * shows {{subject}} and {{body}}); each email goes to the first one this address has not been
 * sent through yet, and when none is left the send fails with that reason instead of vanishing.
 */
public class EmailCampaignPool {

    private final JdbcTemplate jdbc;

    public EmailCampaignPool(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The configured campaigns, in order ("a, b" -> [a, b]); empty when none is configured. */
    public static List<String> campaigns(String configured) {
        return configured == null ? List.of() : Arrays.stream(configured.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    }

    /** The campaign for this email: the first of {@code configured} the address is not in yet; null when it is in all of them. */
    public String pick(Outbox.Row row, String provider, String configured) {
        List<String> pool = campaigns(configured);
        if (pool.isEmpty() || row.address() == null) {
            return configured; // nothing to choose from: the connector says what is missing
        }
        List<Object> args = new ArrayList<>(List.of(Channel.EMAIL.code(), provider, row.address(), Outbox.SENT, row.id()));
        args.addAll(pool);
        Set<String> used = Set.copyOf(jdbc.queryForList(
                "SELECT DISTINCT provider_ref FROM outbox WHERE channel = ? AND provider = ? AND address = ?"
                        + " AND status = ? AND id <> ? AND provider_ref IN (" + MultiRowInsert.placeholders(pool.size()) + ")",
                String.class, args.toArray()));
        return pool.stream().filter(c -> !used.contains(c)).findFirst().orElse(null);
    }

    /** Why an email has no campaign left. */
    static String exhausted(String provider, String configured) {
        return "the lead is already in every " + provider + " campaign this email may use (" + String.join(", ", campaigns(configured))
                + "); a lead is added to a campaign once, so this email would never arrive: give the step a campaign of its own"
                + " (its script's target, or one more id in the campaign list)";
    }
}
