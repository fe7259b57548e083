package com.retentionhub.lead;

import com.retentionhub.platform.SearchText;
import com.retentionhub.platform.SqlValues;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;

/** Finds leads by name, phone or email, source, status and campaign, a page at a time: the way staff pick a lead without knowing its id. */
@Component
public class LeadDirectory {

    /** Where a lead stands; set by intake, enrollment, the first send and conversions. */
    public static final Set<String> STATUSES = Arrays.stream(LeadStatus.values()).map(Enum::name).collect(Collectors.toUnmodifiableSet());

    /** One lead as listed, with the names of the campaigns it is in. */
    public record Lead(long id, String name, String phone, String email, String source, String status, List<String> campaigns,
            Instant createdAt) {}

    /** What to look for: text matches name, email or (when it looks like one) phone; null filters match everything. */
    public record Query(String text, String source, String status, String campaign, int page, int size) {}

    /** Who a lead is and how to reach them: what a message to the lead is addressed and personalised with. */
    public record Person(String name, String phone, String email) {}

    /** One lead with everything staff see on its page: its record, its trackers' ids and the campaigns it is in (by name). */
    public record Details(long id, String name, String phone, String email, String source, String status, String subId, String clickId,
            List<String> campaigns, Instant createdAt) {}

    private final JdbcTemplate jdbc;

    public LeadDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Customers.Page<Lead> search(Query q) {
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        SearchText.append(q.text(), where, args, "l.phone", "lower(l.name) LIKE ?", "lower(l.email) LIKE ?");
        if (q.source() != null) {
            where.append(" AND l.source = ?");
            args.add(q.source());
        }
        if (q.status() != null) {
            where.append(" AND l.status = ?");
            args.add(q.status());
        }
        if (q.campaign() != null) {
            where.append(
                    " AND EXISTS (SELECT 1 FROM campaign_lead cl JOIN campaign c ON c.id = cl.campaign_id WHERE cl.lead_id = l.id AND c.name = ?)");
            args.add(q.campaign());
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM leads l" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(q.size());
        pageArgs.add((long) q.page() * q.size());
        List<Lead> page = jdbc.query("SELECT l.id, l.name, l.phone, l.email, l.source, l.status, l.created_at FROM leads l" + where
                + " ORDER BY l.created_at DESC, l.id DESC LIMIT ? OFFSET ?", LeadDirectory::lead, pageArgs.toArray());
        return new Customers.Page<>(withCampaigns(page), q.page(), q.size(), total == null ? 0 : total);
    }

    /** The lead's name, phone and email; empty when there is no such lead. */
    public Optional<Person> person(long leadId) {
        return jdbc.query("SELECT name, phone, email FROM leads WHERE id = ?",
                (rs, i) -> new Person(rs.getString("name"), rs.getString("phone"),
                        rs.getString("email")),
                leadId).stream().findFirst();
    }

    /** The lead and its campaigns, in two queries; empty when there is no such lead. */
    public Optional<Details> details(long leadId) {
        List<Details> found = jdbc.query(
                "SELECT id, name, phone, email, source, status, sub_id, click_id, created_at FROM leads WHERE id = ?",
                (rs, i) -> new Details(rs.getLong("id"), rs.getString("name"), rs.getString("phone"), rs.getString("email"),
                        rs.getString("source"),
                        rs.getString("status"), rs.getString("sub_id"), rs.getString("click_id"), List.of(),
                        SqlValues.instant(rs.getObject("created_at"))),
                leadId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Details d = found.get(0);
        List<String> campaigns = jdbc
                .queryForList("SELECT c.name FROM campaign_lead cl JOIN campaign c ON c.id = cl.campaign_id WHERE cl.lead_id = ?"
                        + " ORDER BY c.name", String.class, leadId);
        return Optional.of(new Details(d.id(), d.name(), d.phone(), d.email(), d.source(), d.status(), d.subId(), d.clickId(), campaigns,
                d.createdAt()));
    }

    /** The page's campaign memberships in one more query, not one per lead. */
    private List<Lead> withCampaigns(List<Lead> page) {
        if (page.isEmpty()) {
            return page;
        }
        Map<Long, List<String>> campaigns = new HashMap<>();
        String ids = String.join(",", Collections.nCopies(page.size(), "?"));
        jdbc.query("SELECT cl.lead_id, c.name FROM campaign_lead cl JOIN campaign c ON c.id = cl.campaign_id WHERE cl.lead_id IN (" + ids
                + ") ORDER BY c.name",
                (RowCallbackHandler) rs -> campaigns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(rs.getString(2)),
                page.stream().map(Lead::id).toArray());
        return page.stream().map(l -> new Lead(l.id(), l.name(), l.phone(), l.email(), l.source(), l.status(),
                List.copyOf(campaigns.getOrDefault(l.id(), List.of())), l.createdAt())).toList();
    }

    private static Lead lead(ResultSet rs, int row) throws SQLException {
        return new Lead(rs.getLong("id"), rs.getString("name"), rs.getString("phone"), rs.getString("email"), rs.getString("source"),
                rs.getString("status"), List.of(), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

}
