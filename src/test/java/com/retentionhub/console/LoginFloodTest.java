package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The console's login door under abuse: a flood of failed logins with huge user names must not grow
 * the heap, and a wrong password must take as long for an unknown user as for the admin.
 */
class LoginFloodTest extends HubIntegrationTest {

    private static final int MEGABYTE = 1 << 20;
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Test
    void shouldKeepRetainedHeapFlatWhenAThousandLoginsCarryMegabyteUserNames() throws Exception {
        ConsoleSession session = new ConsoleSession(port);
        String token = URLEncoder.encode(ConsoleSession.csrf(session.get("/login").body()), StandardCharsets.UTF_8);
        String cookie = session.cookie("JSESSIONID");
        long before = retainedHeap();

        List<String> answers = flood(cookie, token);
        long after = retainedHeap();

        // Refused as too large, or as a plain failed login; never a 5xx or a stack trace.
        assertThat(answers).hasSize(1_000).allSatisfy(answer -> assertThat(answer).isIn("413 login form too large", "302 /login?error"));
        // A thousand remembered names would hold a gigabyte; what the requests leave behind is far less.
        assertThat(after - before).as("retained heap growth in bytes").isLessThan(200L * MEGABYTE);
        assertThat(ConsoleSession.viaProxy(port, nextAddress()).logIn(ConsoleSession.USER, ConsoleSession.PASSWORD)
                .headers().firstValue("Location").orElseThrow()).endsWith("/console");
    }

    /**
     * A thousand failed logins, four at a time, each with its own megabyte user name and from its own
     * address (through the trusted proxy), so no throttle stands between the flood and whatever would
     * remember the names. Answers "status location-path" per attempt; builds each body only when sent,
     * so the test itself holds no more than four.
     */
    private List<String> flood(String cookie, String token) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                int attempt = i;
                answers.add(senders.submit(() -> {
                    String body = "username=" + attempt + "u".repeat(MEGABYTE) + "&password=wrong&_csrf=" + token;
                    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("Cookie", "JSESSIONID=" + cookie)
                            .header("X-Forwarded-For", nextAddress())
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() + " " + response.headers().firstValue("Location").map(l -> URI.create(l).getRawPath()
                            + (URI.create(l).getRawQuery() == null ? "" : "?" + URI.create(l).getRawQuery())).orElse(response.body());
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> answer : answers) {
                results.add(answer.get());
            }
            return results;
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void shouldTakeAsLongForAnUnknownUserAsForTheAdminWhenThePasswordIsWrong() {
        List<Long> admin = new ArrayList<>();
        List<Long> unknown = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            // Interleaved, so a burst of load elsewhere on the machine slows both alike.
            admin.add(failedLogin(ConsoleSession.USER));
            unknown.add(failedLogin("nobody-" + i));
        }

        // The first pair warms up (the dummy hash is made on first use).
        double known = median(admin.subList(2, admin.size()));
        double other = median(unknown.subList(2, unknown.size()));

        assertThat(Math.abs(known - other) / Math.min(known, other)).as("admin %.1f ms, unknown %.1f ms", known / 1e6, other / 1e6)
                .isLessThan(0.20);
    }

    /** Nanoseconds the login POST took; each from a fresh address, so no throttle answers in its place. */
    private long failedLogin(String user) {
        ConsoleSession session = ConsoleSession.viaProxy(port, nextAddress());
        String token = ConsoleSession.csrf(session.get("/login").body());
        long start = System.nanoTime();
        HttpResponse<String> response = session.post("/login", java.util.Map.of("username", user, "password", "not-the-password", "_csrf", token));
        long took = System.nanoTime() - start;
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        return took;
    }

    private static String nextAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** Heap in use after full collections: a weak reference cleared is proof that one ran. */
    private static long retainedHeap() {
        for (int round = 0; round < 2; round++) {
            WeakReference<Object> canary = new WeakReference<>(new Object());
            while (canary.get() != null) {
                System.gc();
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
