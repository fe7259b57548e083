package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        assertThat(answers).hasSize(1_000).allSatisfy(answer -> assertThat(answer).isIn("413", "302 /login?error"));
        // A thousand remembered names would hold a gigabyte; what the requests leave behind is far less.
        assertThat(after - before).as("retained heap growth in bytes").isLessThan(200L * MEGABYTE);
        assertThat(ConsoleSession.viaProxy(port, nextAddress()).logIn(ConsoleSession.USER, ConsoleSession.PASSWORD)
                .headers().firstValue("Location").orElseThrow()).endsWith("/console");
    }

    /**
     * A thousand failed logins, four at a time, each with its own megabyte user name and from its own
     * address (through the trusted proxy), so no throttle stands between the flood and whatever would
     * remember the names. Plain sockets and one reused body per sender, so the flood costs the machine
     * little beyond what the hub does with it. Answers "status" or "status location" per attempt.
     */
    private List<String> flood(String cookie, String token) throws Exception {
        int senders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<List<String>>> parts = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int first = t;
                parts.add(pool.submit(() -> {
                    byte[] body = ("username=000000" + "u".repeat(MEGABYTE) + "&password=wrong&_csrf=" + token)
                            .getBytes(StandardCharsets.US_ASCII);
                    List<String> answers = new ArrayList<>();
                    for (int i = first; i < 1_000; i += senders) {
                        // A distinct name per attempt: its first characters are the attempt's number.
                        byte[] number = String.format("%06d", i).getBytes(StandardCharsets.US_ASCII);
                        System.arraycopy(number, 0, body, "username=".length(), number.length);
                        answers.add(post(cookie, nextAddress(), body));
                    }
                    return answers;
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<List<String>> part : parts) {
                results.addAll(part.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private String post(String cookie, String client, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nCookie: JSESSIONID="
                    + cookie
                    + "\r\nX-Forwarded-For: " + client + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            // The status line and headers are all this needs; closing then drops the rest.
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                head.append((char) c);
                if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
                    break;
                }
            }
            String status = head.substring(9, 12);
            Matcher location = Pattern.compile("(?im)^Location: *https?://[^/]+(\\S*)").matcher(head);
            return location.find() ? status + " " + location.group(1) : status;
        }
    }

    @Test
    void shouldTakeAsLongForAnUnknownUserAsForTheAdminWhenThePasswordIsWrong() {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // Side by side, in alternating order, so load elsewhere on the machine slows both of a pair alike.
            long admin = i % 2 == 0 ? failedLogin(ConsoleSession.USER) : 0;
            long unknown = failedLogin("nobody-" + i);
            admin = admin == 0 ? failedLogin(ConsoleSession.USER) : admin;
            if (i >= 3) { // the first pairs warm up (the dummy hash is made on first use)
                ratios.add((double) unknown / admin);
            }
        }

        double median = ratios.stream().sorted().toList().get(ratios.size() / 2);

        assertThat(median).as("unknown user's time over the admin's, median of %s", ratios).isBetween(1 / 1.2, 1.2);
    }

    /** Nanoseconds the login POST took; each from a fresh address, so no throttle answers in its place. */
    private long failedLogin(String user) {
        ConsoleSession session = ConsoleSession.viaProxy(port, nextAddress());
        String token = ConsoleSession.csrf(session.get("/login").body());
        long start = System.nanoTime();
        HttpResponse<String> response = session.post("/login", Map.of("username", user, "password", "not-the-password", "_csrf", token));
        long took = System.nanoTime() - start;
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        return took;
    }

    private static String nextAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "10." + (n >> 16 & 0xff) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
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
