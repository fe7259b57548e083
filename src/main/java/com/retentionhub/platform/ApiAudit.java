package com.retentionhub.platform;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every staff API call: the key's fingerprint (never the key), the action (method and
 * endpoint pattern), the target (the path's ids), the status answered, and when. It wraps the
 * security chain, so refused calls (401) are recorded too. Provider webhooks that happen to live
 * under /api are not staff calls and are left out. Changes made in the console are recorded in the same
 * log under key {@code console} with the signed-in user's name ({@link #recordConsole}).
 */
public class ApiAudit extends OncePerRequestFilter {

    /** Request attribute the API key filter sets to the fingerprint of the key it accepted. */
    public static final String KEY_ID = "hub.apiKeyId";
    private static final Logger LOG = LoggerFactory.getLogger(ApiAudit.class);

    /** The key id of changes made in the console; {@code user} names who made them. */
    public static final String CONSOLE = "console";

    /** One audited call: by an API key (keyId) or in the console (keyId "console" and the user's name). */
    @Schema(name = "AuditEntry")
    public record Entry(long id, String keyId, String user, String method, String action, String target, int status, Instant at) {}

    private static final String SELECT_ENTRY = "SELECT id, key_id, user_name, method, action, target, status, at FROM api_audit";
    private static final RowMapper<Entry> ENTRY = (rs, i) -> new Entry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getInt(7), SqlValues.instant(rs, 8));

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final List<String> exempt;

    public ApiAudit(JdbcTemplate jdbc, Clock clock, List<String> exemptPaths) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.exempt = exemptPaths;
    }

    /** "key-" and the first 8 hex digits of the key's SHA-256: tells keys apart in the log without revealing one. */
    public static String keyId(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || exempt.contains(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            record(request, response.getStatus());
        }
    }

    private void record(HttpServletRequest request, int status) {
        Object accepted = request.getAttribute(KEY_ID);
        String keyId = accepted != null ? accepted.toString() : request.getHeader("X-API-Key") == null ? "none" : "invalid";
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String action = pattern != null ? pattern.toString() : request.getRequestURI();
        String target = null;
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables && !variables.isEmpty()) {
            target = variables.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        }
        try {
            jdbc.update("INSERT INTO api_audit (key_id, method, action, target, status, at) VALUES (?, ?, ?, ?, ?, ?)", keyId,
                    request.getMethod(), cut(action, 200), cut(target, 300), status, Timestamp.from(clock.instant()));
        } catch (RuntimeException e) {
            // The call itself has been answered; a lost audit row is logged, never turned into a failed call.
            LOG.error("audit of {} {} ({}) not recorded: {}", request.getMethod(), action, status, e.toString());
        }
    }

    /** A change made in the console, under the signed-in user's name; like an API call, a lost row never fails the change. */
    public void recordConsole(String user, String method, String action, String target, int status) {
        try {
            jdbc.update("INSERT INTO api_audit (key_id, user_name, method, action, target, status, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    CONSOLE,
                    cut(user, 64), method, cut(action, 200), cut(target, 300), status, Timestamp.from(clock.instant()));
        } catch (RuntimeException e) {
            LOG.error("audit of console {} {} by {} ({}) not recorded: {}", method, action, user, status, e.toString());
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** The changes made to one thing, oldest first: entries whose target is exactly {@code target} and whose action starts with one of the prefixes. */
    public List<Entry> changesTo(String target, List<String> actionPrefixes, int limit) {
        String actions = actionPrefixes.stream().map(p -> "action LIKE ?").collect(Collectors.joining(" OR "));
        List<Object> args = new ArrayList<>();
        args.add(target);
        actionPrefixes.forEach(p -> args.add(p.replace("%", "\\%").replace("_", "\\_") + "%"));
        args.add(limit);
        return jdbc.query(SELECT_ENTRY + " WHERE target = ? AND method <> 'GET' AND status < 400 AND (" + actions + ") ORDER BY id LIMIT ?",
                ENTRY,
                args.toArray());
    }

    /** The newest entries first, optionally for one key, one console user, and before an id (the next page). */
    public List<Entry> recent(String keyId, String user, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder(SELECT_ENTRY + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (keyId != null) {
            sql.append(" AND key_id = ?");
            args.add(keyId);
        }
        if (user != null) {
            sql.append(" AND user_name = ?");
            args.add(user);
        }
        if (beforeId != null) {
            sql.append(" AND id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ENTRY, args.toArray());
    }
}
