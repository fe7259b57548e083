package com.retentionhub.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A browser-like HTTP session against the console: cookies kept, redirects not followed, CSRF tokens read from pages. */
final class ConsoleSession {

    static final String USER = "admin";
    /** The password whose bcrypt hash application-test.yaml configures. */
    static final String PASSWORD = "console-test-password";

    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final LoopbackIsSecure cookieJar = new LoopbackIsSecure();
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(cookieJar).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final String[] headers;

    ConsoleSession(int port) {
        this.base = "http://localhost:" + port;
        this.headers = new String[0];
    }

    /**
     * A session that reaches the hub through the trusted proxy (127.0.0.1 in the test profile) on
     * behalf of a client at {@code clientAddress}, as the TLS proxy would forward it.
     */
    static ConsoleSession viaProxy(int port, String clientAddress) {
        return new ConsoleSession("http://127.0.0.1:" + port, "X-Forwarded-For", clientAddress, "X-Forwarded-Proto", "https");
    }

    private ConsoleSession(String base, String... headers) {
        this.base = base;
        this.headers = headers;
    }

    /** Posts the login form as a browser would; answers the redirect. */
    HttpResponse<String> logIn(String user, String password) {
        String token = csrf(get("/login").body());
        return post("/login", Map.of("username", user, "password", password, "_csrf", token));
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The value of a cookie the session holds for the hub. */
    String cookie(String name) {
        return cookieJar.cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).findFirst().orElseThrow(() -> new AssertionError("no cookie " + name));
    }

    /** The CSRF token a page's forms carry. */
    static String csrf(String page) {
        Matcher m = CSRF_FIELD.matcher(page);
        if (!m.find()) {
            throw new AssertionError("no CSRF field in the page");
        }
        return m.group(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (headers.length > 0) {
            request.headers(headers);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Browsers treat http://localhost as a secure context and send Secure cookies to it; the JDK's
     * cookie manager does not, so it is asked as if the loopback address were https.
     */
    private static final class LoopbackIsSecure extends CookieHandler {

        private final CookieManager cookies = new CookieManager();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
            return cookies.get(secure(uri), requestHeaders);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
            cookies.put(secure(uri), responseHeaders);
        }

        private static URI secure(URI uri) {
            boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
            return loopback ? URI.create("https" + uri.toString().substring(uri.getScheme().length())) : uri;
        }
    }
}
