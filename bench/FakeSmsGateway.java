import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in HTTP SMS gateway on loopback in the SMS-Retail preset's wire format (the hub's
 * sms-retail provider points here). Accepts every send at once and records when each arrived;
 * GET /stats answers: count, seconds from first to last, and the most sends seen in any one-second window.
 *
 *   java bench/FakeSmsGateway.java --port 8097
 */
public class FakeSmsGateway {

    public static void main(String[] args) throws Exception {
        int port = args.length > 1 && args[0].equals("--port") ? Integer.parseInt(args[1]) : 8097;
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        AtomicLong ids = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/api/v1/sms/send", ex -> {
            arrivals.add(System.nanoTime());
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"message_id\":\"fk-" + ids.incrementAndGet() + "\",\"status\":\"accepted\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
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
                    "{\"count\":%d,\"spanSeconds\":%.3f,\"maxPerSecondWindow\":%d,\"gapMs\":{\"min\":%.1f,\"p1\":%.1f,\"median\":%.1f}}",
                    sorted.size(), span, maxWindow, minGap, p1Gap, medianGap).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/reset", ex -> {
            arrivals.clear();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        System.out.println("fake SMS gateway on 127.0.0.1:" + port);
    }
}
