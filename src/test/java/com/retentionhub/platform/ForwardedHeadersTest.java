package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Behind the TLS proxy: X-Forwarded-* from the trusted proxy (127.0.0.1 in the test profile) make
 * the hub answer as the https site it is to the browser, and name the real client; from any other
 * address (127.0.0.2 here) the same headers change nothing.
 */
class ForwardedHeadersTest extends HubIntegrationTest {

    private static final String TRUSTED = "127.0.0.1";
    private static final String UNTRUSTED = "127.0.0.2";
    private static final String FORWARDED = "Host: hub.example.com\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: hub.example.com\r\n";

    @Test
    void shouldRedirectToHttpsWithHstsAndASecureCookieWhenTheTrustedProxyForwardsHttps() throws IOException {
        Answer page = send(TRUSTED, "GET /console/conversations HTTP/1.1\r\n" + FORWARDED + "X-Forwarded-For: 198.51.100.9\r\n");
        Answer login = send(TRUSTED, "GET /login HTTP/1.1\r\n" + FORWARDED + "X-Forwarded-For: 198.51.100.9\r\n");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.header("Location")).isEqualTo("https://hub.example.com/login");
        assertThat(page.header("Strict-Transport-Security")).contains("max-age=");
        assertThat(login.header("Set-Cookie")).startsWith("JSESSIONID=").containsIgnoringCase("; Secure");
    }

    @Test
    void shouldIgnoreForwardedHeadersButStillMarkTheCookieSecureWhenTheSenderIsNotTheTrustedProxy() throws IOException {
        Answer page = send(UNTRUSTED, "GET /console/conversations HTTP/1.1\r\n" + FORWARDED + "X-Forwarded-For: 198.51.100.9\r\n");
        Answer login = send(UNTRUSTED, "GET /login HTTP/1.1\r\n" + FORWARDED + "X-Forwarded-For: 198.51.100.9\r\n");

        assertThat(page.header("Location")).startsWith("http://");
        assertThat(page.header("Strict-Transport-Security")).isNull();
        assertThat(login.header("Set-Cookie")).as("the public URL is https").containsIgnoringCase("; Secure");
    }

    @Test
    void shouldCountFailedLoginsByTheSendersOwnAddressWhenAnUntrustedSenderForgesForwardedFor() throws IOException {
        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // A fresh forged client address each time: it would escape the throttle if it were believed.
            outcomes.add(failedLogin(UNTRUSTED, "192.0.2." + (i + 1)));
        }
        String viaTrustedProxy = failedLogin(TRUSTED, "192.0.2.200");

        assertThat(outcomes.subList(0, 6)).allSatisfy(o -> assertThat(o).endsWith("/login?error"));
        assertThat(outcomes.get(6)).as("all seven came from 127.0.0.2").endsWith("/login?locked");
        assertThat(viaTrustedProxy).as("a client the trusted proxy names is counted apart").endsWith("/login?error");
    }

    /** A wrong password from {@code source}, claiming to be {@code forgedClient}; answers the redirect. */
    private String failedLogin(String source, String forgedClient) throws IOException {
        Answer form = send(source, "GET /login HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forgedClient + "\r\n");
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(token.find()).as(form.body()).isTrue();
        String cookie = form.header("Set-Cookie").split(";")[0];
        String body = "username=admin&password=wrong&_csrf=" + URLEncoder.encode(token.group(1), StandardCharsets.UTF_8);
        Answer answer = send(source, "POST /login HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forgedClient + "\r\nCookie: " + cookie
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n", body);
        return answer.header("Location");
    }

    private Answer send(String source, String head) throws IOException {
        return send(source, head, "");
    }

    /** One HTTP/1.1 exchange over a socket bound to {@code source}, so the hub sees that remote address. */
    private Answer send(String source, String head, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Connection: close\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return new Answer(all.toString(StandardCharsets.UTF_8));
        }
    }

    /** A raw HTTP answer: status, first value of a header, and the body (chunk markers left in; tests only search it). */
    private record Answer(String raw) {

        int status() {
            return Integer.parseInt(raw.substring(9, 12));
        }

        String header(String name) {
            for (String line : raw.substring(0, raw.indexOf("\r\n\r\n")).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String body() {
            return raw.substring(raw.indexOf("\r\n\r\n") + 4);
        }
    }
}
