package com.retentionhub.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SECURITY: Jolokia answers only the hub's own pages. A browser request from another origin is
 * refused before Jolokia sees it (Jolokia itself grants CORS to no one, see jolokia-access.xml), a
 * GET may only read, and JSONP is off: otherwise a page elsewhere, visited by a logged-in ops user,
 * could suspend routes with an {@code <img>} or read MBeans through a {@code <script>}. POSTs stay
 * behind the CSRF token.
 */
final class JolokiaGuard extends OncePerRequestFilter {

    /** Jolokia's own path, and Hawtio's, which forwards to it. */
    static final List<String> PATHS = List.of("/actuator/jolokia", "/actuator/hawtio/jolokia");
    /** Jolokia request types a GET may carry: none of them changes anything. */
    private static final Set<String> GET_TYPES = Set.of("", "read", "list", "search", "version");

    private final String publicOrigin;

    JolokiaGuard(String publicBaseUrl) {
        this.publicOrigin = origin(publicBaseUrl);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return jolokiaPath(request) == null;
    }

    /** What follows Jolokia's (or Hawtio's Jolokia) path in the request, or null for any other request. */
    private static String jolokiaPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        for (String prefix : PATHS) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return path.substring(prefix.length());
            }
        }
        return null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String refusal = refusal(request);
        if (refusal != null) {
            SecurityConfiguration.problem(response, 403, "Forbidden", refusal);
            return;
        }
        chain.doFilter(request, response);
    }

    private String refusal(HttpServletRequest request) {
        try {
            return refusalOf(request);
        } catch (IllegalArgumentException malformed) {
            return "malformed request";
        }
    }

    private String refusalOf(HttpServletRequest request) {
        if (!fromOwnOrigin(request)) {
            return "Jolokia answers only the hub's own pages";
        }
        // From the query string only: reading a POST's parameters would consume Jolokia's body.
        if (queryNames(request).contains("callback")) {
            return "JSONP is not served";
        }
        String method = request.getMethod();
        if (("GET".equals(method) || "HEAD".equals(method)) && !GET_TYPES.contains(getType(request))) {
            return "only read, list, search and version over GET; POST the rest with the CSRF token";
        }
        return null;
    }

    /**
     * A browser names the page's origin in {@code Origin} (or at least {@code Referer}) and says in
     * {@code Sec-Fetch-Site} whether it is another site; a client that sends none of them (curl, a
     * monitoring agent) holds no ambient browser credentials and passes.
     */
    boolean fromOwnOrigin(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String claimed = request.getHeader("Origin");
        if (claimed == null) {
            claimed = request.getHeader("Referer");
        }
        if (claimed == null) {
            return true;
        }
        String origin = origin(claimed);
        return origin != null && (origin.equals(ownOrigin(request)) || origin.equals(publicOrigin));
    }

    private static Set<String> queryNames(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query == null) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String pair : query.split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            names.add(URLDecoder.decode(name, StandardCharsets.UTF_8));
        }
        return names;
    }

    /** The type is the first segment of Jolokia's path, given either after the servlet's path or in {@code p}. */
    private static String getType(HttpServletRequest request) {
        String path = request.getParameter("p");
        if (path == null) {
            path = jolokiaPath(request);
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        String trimmed = path.replaceFirst("^/+", "");
        int slash = trimmed.indexOf('/');
        return (slash < 0 ? trimmed : trimmed.substring(0, slash)).toLowerCase(Locale.ROOT);
    }

    private static String ownOrigin(HttpServletRequest request) {
        return origin(request.getScheme() + "://" + request.getServerName() + ":" + request.getServerPort());
    }

    /** scheme://host[:port], the port left out when it is the scheme's default; null when unreadable. */
    static String origin(String url) {
        try {
            URI uri = URI.create(url.trim());
            if (uri.getScheme() == null || uri.getHost() == null) {
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
