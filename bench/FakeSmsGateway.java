import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in HTTP SMS gateway on loopback in the SMS-Retail preset's wire format (the hub's
 * sms-retail provider points here). Accepts every send at once and records when each arrived and
 * its reference (the hub's idempotency key), so the lookup by reference answers truthfully.
 * GET /stats answers: count, distinct references, seconds from first to last, and the most sends
 * seen in any one-second window. GET /references lists each reference with how often it arrived.
 * GET /fail?seconds=N makes sends answer 503 for N seconds (an outage; nothing is accepted meanwhile).
 *
 *   java bench/FakeSmsGateway.java --port 8097
 */
public class FakeSmsGateway {

    public static void main(String[] args) throws Exception {
        int port = args.length > 1 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8097;
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ids = new AtomicLong();
        Map<String, String> idByReference = new ConcurrentHashMap<>();
        Map<String, Integer> arrivalsByReference = new ConcurrentHashMap<>();
        AtomicLong failUntil = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/api/v1/sms/send", ex -> {
            String request = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (System.nanoTime() < failUntil.get()) {
                answer(ex, 503, "{\"error\":\"unavailable\",\"message\":\"gateway outage\"}");
                return;
            }
            arrivals.add(System.nanoTime());
            String reference = field(request, "reference");
            String id = reference == null ? "fk-" + ids.incrementAndGet() : idByReference.computeIfAbsent(reference, r -> "fk-" + ids.incrementAndGet());
            if (reference != null) {
                arrivalsByReference.merge(reference, 1, Integer::sum);
            }
            answer(ex, 200, "{\"message_id\":\"" + id + "\",\"status\":\"accepted\"}");
        });
        server.createContext("/api/v1/sms/by-reference/", ex -> {
            String path = ex.getRequestURI().getPath();
            String id = idByReference.get(java.net.URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8));
            answer(ex, id == null ? 404 : 200, id == null ? "{\"error\":\"not_found\"}" : "{\"message_id\":\"" + id + "\",\"status\":\"sent\"}");
        });
        server.createContext("/fail", ex -> {
            String query = ex.getRequestURI().getQuery();
            long seconds = query != null && query.startsWith("seconds=") ? Long.parseLong(query.substring(8)) : 10;
            failUntil.set(System.nanoTime() + seconds * 1_000_000_000L);
            answer(ex, 200, "{\"failingForSeconds\":" + seconds + "}");
        });
        server.createContext("/references", ex -> {
            StringBuilder lines = new StringBuilder();
            arrivalsByReference.forEach((reference, n) -> lines.append(reference).append('\t').append(n).append('\n'));
            answer(ex, 200, lines.toString());
        });
        server.createContext("/stats", ex -> {
            List<Long> sorted;
            synchronized (arrivals) {
                sorted = new ArrayList<>(arrivals);
            }
            Collections.sort(sorted);
            int maxWindow = 0;
            for (int i = 0, j = 0; i < sorted.size(); i++) {
                while (sorted.get(i) - sorted.get(j) >= 1_000_000_000L) {
                    j++;
                }
                maxWindow = Math.max(maxWindow, i - j + 1);
            }
            double span = sorted.size() < 2 ? 0 : (sorted.get(sorted.size() - 1) - sorted.get(0)) / 1e9;
            // Gaps between consecutive arrivals: how evenly paced sends actually land.
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < sorted.size(); i++) {
                gaps.add(sorted.get(i) - sorted.get(i - 1));
            }
            Collections.sort(gaps);
            double minGap = gaps.isEmpty() ? 0 : gaps.get(0) / 1e6;
            double p1Gap = gaps.isEmpty() ? 0 : gaps.get(gaps.size() / 100) / 1e6;
            double medianGap = gaps.isEmpty() ? 0 : gaps.get(gaps.size() / 2) / 1e6;
            byte[] body = String.format(java.util.Locale.ROOT,
                    "{\"count\":%d,\"distinct\":%d,\"spanSeconds\":%.3f,\"maxPerSecondWindow\":%d,\"gapMs\":{\"min\":%.1f,\"p1\":%.1f,\"median\":%.1f}}",
                    sorted.size(), arrivalsByReference.size(), span, maxWindow, minGap, p1Gap, medianGap).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/reset", ex -> {
            arrivals.clear();
            arrivalsByReference.clear();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        System.out.println("fake SMS gateway on 127.0.0.1:" + port);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange ex, int status, String text) throws java.io.IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A string field of a flat JSON object (the hub's request template writes these without escapes). */
    private static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) {
            return null;
        }
        int start = at + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }
}
