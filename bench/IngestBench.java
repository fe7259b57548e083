import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ingest benchmark: replays pre-generated, correctly signed Twilio inbound-SMS webhooks against a
 * running hub at a fixed concurrency, optionally paced to a fixed total rate (open loop: latency is
 * measured from each request's scheduled start, so a stall is not hidden). Plain keep-alive HTTP/1.1
 * over sockets keeps the client's own CPU cost small on a 2-core machine.
 *
 *   java bench/IngestBench.java --requests 100000 --concurrency 32 [--rate 2500] [--host 127.0.0.1]
 *        [--port 8080] [--path /sms] [--public-url http://localhost:8080] [--token bench-token]
 *        [--acked bench/out/acked.txt] [--max-seconds 120] [--phones 50000] [--bodies ordinary|varied]
 *
 * Prints requests/s, p50, p99 and the status counts; writes the MessageSid of every 2xx answer to
 * --acked so the database can be checked against what was acknowledged.
 */
public class IngestBench {

    /** Texts that carry no keyword, revocation or escalation: each one deserves a reply (--bodies ordinary). */
    private static final String[] ORDINARY = {"Hi, do you treat for termites?", "How much for a mosquito treatment?",
            "What does the quarterly plan include?", "Do you service the north side of town?", "Is the spray safe for pets?"};

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int requests = Integer.parseInt(opt.getOrDefault("requests", "100000"));
        int concurrency = Integer.parseInt(opt.getOrDefault("concurrency", "32"));
        double rate = Double.parseDouble(opt.getOrDefault("rate", "0"));
        String host = opt.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opt.getOrDefault("port", "8080"));
        String path = opt.getOrDefault("path", "/sms");
        String publicUrl = opt.getOrDefault("public-url", "http://localhost:8080") + path;
        String token = opt.getOrDefault("token", "bench-token");
        Path acked = Path.of(opt.getOrDefault("acked", "bench/out/acked.txt"));
        long maxNanos = (long) (Double.parseDouble(opt.getOrDefault("max-seconds", "300")) * 1e9);
        int phones = Integer.parseInt(opt.getOrDefault("phones", "50000"));
        // varied: ordinary texts made unique by a number, so no cache of the semantic layer can answer them.
        boolean varied = "varied".equals(opt.get("bodies"));
        boolean ordinaryOnly = "ordinary".equals(opt.get("bodies")) || varied;

        System.out.printf("generating %d signed requests...%n", requests);
        String[] sids = new String[requests];
        byte[][] wire = new byte[requests][];
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String[] bodies = {"Hi, do you treat for termites?", "What time can you come tomorrow?", "How much for a mosquito treatment?",
                "Thanks, see you then", "STOP", "Can you call me back about my last service?", "yes please", "HELP"};
        for (int i = 0; i < requests; i++) {
            sids[i] = "SM" + UUID.randomUUID().toString().replace("-", "");
            Map<String, String> form = new TreeMap<>();
            form.put("MessageSid", sids[i]);
            form.put("SmsSid", sids[i]);
            form.put("AccountSid", "ACbenchbenchbenchbenchbenchbenchbe");
            form.put("From", String.format("+1415%07d", 2_000_000 + (i % phones)));
            form.put("To", "+15017122661");
            String text = ordinaryOnly ? ORDINARY[i % ORDINARY.length] : bodies[i % bodies.length];
            form.put("Body", varied ? text + " (ref " + i + ")" : text);
            form.put("NumMedia", "0");
            form.put("NumSegments", "1");
            StringBuilder data = new StringBuilder(publicUrl);
            form.forEach((k, v) -> data.append(k).append(v));
            String signature = Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
            StringBuilder body = new StringBuilder();
            form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            byte[] b = body.toString().getBytes(StandardCharsets.US_ASCII);
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "X-Twilio-Signature: " + signature + "\r\nContent-Length: " + b.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            wire[i] = Arrays.copyOf(h, h.length + b.length);
            System.arraycopy(b, 0, wire[i], h.length, b.length);
        }

        long[] latency = new long[requests];
        int[] status = new int[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong ioErrors = new AtomicLong();
        long start = System.nanoTime() + 50_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            Thread t = new Thread(() -> {
                Socket socket = null;
                InputStream in = null;
                while (true) {
                    int i = next.getAndIncrement();
                    if (i >= requests) {
                        break;
                    }
                    long scheduled = rate > 0 ? start + (long) (i * 1e9 / rate) : System.nanoTime();
                    if (scheduled - start > maxNanos) {
                        break;
                    }
                    long now;
                    while ((now = System.nanoTime()) < scheduled) {
                        long gap = scheduled - now;
                        if (gap > 200_000) {
                            java.util.concurrent.locks.LockSupport.parkNanos(gap - 100_000);
                        }
                    }
                    try {
                        if (socket == null) {
                            socket = new Socket(host, port);
                            socket.setTcpNoDelay(true);
                            in = new BufferedInputStream(socket.getInputStream(), 8192);
                        }
                        int answer = exchange(socket.getOutputStream(), in, wire[i]);
                        latency[i] = System.nanoTime() - scheduled;
                        status[i] = Math.abs(answer);
                        if (answer < 0) { // the server asked to close: reconnect for the next one
                            closeQuietly(socket);
                            socket = null;
                        }
                    } catch (IOException e) {
                        ioErrors.incrementAndGet();
                        status[i] = -1;
                        closeQuietly(socket);
                        socket = null;
                        java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                    }
                }
                closeQuietly(socket);
            }, "bench-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        long elapsed = System.nanoTime() - start;

        int sent = Math.min(next.get(), requests);
        long ok = 0;
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<Long> okLatencies = new ArrayList<>();
        Files.createDirectories(acked.toAbsolutePath().getParent());
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(acked))) {
            for (int i = 0; i < sent; i++) {
                byStatus.merge(status[i], 1, Integer::sum);
                if (status[i] >= 200 && status[i] < 300) {
                    ok++;
                    okLatencies.add(latency[i]);
                    out.println(sids[i]);
                }
            }
        }
        long[] sorted = okLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("mode: %s, concurrency %d%n", rate > 0 ? "paced at " + (long) rate + "/s" : "closed loop", concurrency);
        System.out.printf("requests: %d answered 2xx of %d sent in %.2f s; status counts %s; connection errors %d%n", ok, sent, elapsed / 1e9,
                byStatus, ioErrors.get());
        System.out.printf("throughput: %.0f requests/s (2xx)%n", ok / (elapsed / 1e9));
        if (sorted.length > 0) {
            System.out.printf("latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        }
        System.out.printf("acknowledged sids written to %s%n", acked);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    /** Writes one request and reads one response; returns the status, negated when the server closes the connection. */
    private static int exchange(OutputStream out, InputStream in, byte[] request) throws IOException {
        out.write(request);
        out.flush();
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("bad status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean close = false;
        String header;
        while ((header = line(in)) != null && !header.isEmpty()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                close = true;
            }
        }
        if (chunked) {
            while (true) {
                int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                skip(in, size);
                line(in);
                if (size == 0) {
                    break;
                }
            }
        } else if (length > 0) {
            skip(in, length);
        }
        return close ? -status : status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.US_ASCII);
            }
            buf.write(c);
        }
        throw new IOException("connection closed");
    }

    private static void skip(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IOException("short body");
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
