import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load for the fault suite: signed Twilio texts at a fixed rate, spread over several hub instances
 * the way the production proxy spreads them, and, like the proxy, a request an instance cannot
 * answer (refused, reset, 5xx) is tried again on the next one until --retry-seconds pass. Every
 * text comes from a phone of its own, so each one is a new conversation that deserves one reply.
 *
 *   java bench/FaultLoad.java --ports 8081,8082 --rate 60 --seconds 25 --token bench-token
 *        --public-url http://localhost:8080 --acked bench/out/acked-kill.txt --first-phone 3000000
 *
 * Writes the MessageSid of every acknowledged (2xx) text to --acked, and prints the counts.
 */
public class FaultLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String[] ports = opt.getOrDefault("ports", "8081,8082").split(",");
        double rate = Double.parseDouble(opt.getOrDefault("rate", "60"));
        double seconds = Double.parseDouble(opt.getOrDefault("seconds", "25"));
        long retryNanos = (long) (Double.parseDouble(opt.getOrDefault("retry-seconds", "30")) * 1e9);
        String publicUrl = opt.getOrDefault("public-url", "http://localhost:8080");
        String token = opt.getOrDefault("token", "bench-token");
        Path acked = Path.of(opt.getOrDefault("acked", "bench/out/acked-faults.txt"));
        long firstPhone = Long.parseLong(opt.getOrDefault("first-phone", "3000000"));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        ConcurrentLinkedQueue<String> ok = new ConcurrentLinkedQueue<>();
        AtomicInteger retried = new AtomicInteger();
        AtomicInteger gaveUp = new AtomicInteger();
        int total = (int) (rate * seconds);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            pool.submit(() -> {
                String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
                Map<String, String> form = new TreeMap<>();
                form.put("MessageSid", sid);
                form.put("SmsSid", sid);
                form.put("AccountSid", "ACbenchbenchbenchbenchbenchbenchbe");
                form.put("From", String.format("+1415%07d", firstPhone + n));
                form.put("To", "+15017122661");
                form.put("Body", "Hi, is the spray safe for pets?");
                String body = encode(form);
                String signature = sign(token, publicUrl + "/sms", form);
                long giveUpAt = System.nanoTime() + retryNanos;
                for (int attempt = 0; System.nanoTime() < giveUpAt; attempt++) {
                    String port = ports[(n + attempt) % ports.length];
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sms")).timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/x-www-form-urlencoded").header("X-Twilio-Signature", signature)
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() / 100 == 2) {
                            ok.add(sid);
                            return;
                        }
                    } catch (Exception e) {
                        // refused or reset: the next instance
                    }
                    retried.incrementAndGet();
                    sleep(200);
                }
                gaveUp.incrementAndGet();
            });
        }
        pool.shutdown();
        pool.awaitTermination(retryNanos / 1_000_000_000L + 60, TimeUnit.SECONDS);
        Files.createDirectories(acked.toAbsolutePath().getParent());
        Files.write(acked, new ArrayList<>(ok));
        System.out.printf("load: %d texts over %s in %.1f s, %d acknowledged, %d retries on another instance, %d never acknowledged%n", total,
                String.join(",", ports), (System.nanoTime() - start) / 1e9, ok.size(), retried.get(), gaveUp.get());
    }

    private static String encode(Map<String, String> form) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, v) -> pairs.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return String.join("&", pairs);
    }

    /** Twilio's signature: HMAC-SHA1 over the URL plus the sorted parameters, base64. */
    private static String sign(String token, String url, Map<String, String> sortedForm) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            StringBuilder data = new StringBuilder(url);
            sortedForm.forEach((k, v) -> data.append(k).append(v));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
