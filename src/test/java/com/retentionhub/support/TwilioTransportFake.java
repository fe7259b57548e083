package com.retentionhub.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.awaitility.Awaitility;

/**
 * Twilio's Messages API on a raw socket, for faults WireMock cannot make: a message Twilio accepted
 * and then never answered for, a connection refused by the kernel (the listening socket closed), a
 * connection reset. Accepting means what it means at Twilio: the message is in the fake's log and
 * the list call ({@code GET Messages.json?To=}) the hub's lookup uses returns it. Every answer closes
 * its connection, so each request is on a connection of its own.
 */
public final class TwilioTransportFake implements AutoCloseable {

    /** What the fake does with one create request. */
    public enum Fault {
        /** Records the message and answers 201. */
        NONE,
        /** Records the message, then says nothing until the client has given up. */
        TIMEOUT_AFTER_ACCEPTING,
        /** Says nothing until the client has given up, and never records the message. */
        TIMEOUT_BEFORE_ACCEPTING,
        /** Records the message, then resets the connection instead of answering. */
        RESET_AFTER_ACCEPTING,
        /** Resets the connection after reading the request, without recording it. */
        RESET_BEFORE_ACCEPTING
    }

    /** One message in the fake's log. */
    public record Accepted(String sid, String to, String body, Instant created) {}

    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final Clock clock;
    private final Duration stall;
    private final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "twilio-transport-fake");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService reopen = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "twilio-transport-fake-reopen");
        t.setDaemon(true);
        return t;
    });
    private final List<Accepted> log = new ArrayList<>();
    private final Map<String, AtomicInteger> creates = new ConcurrentHashMap<>();
    private final AtomicInteger lists = new AtomicInteger();
    private volatile BiFunction<String, Integer, Fault> faults = (to, attempt) -> Fault.NONE;
    private volatile ServerSocket listening;
    private final int port;

    /**
     * @param clock the time the fake stamps on messages (Twilio's clock, in step with the hub's)
     * @param stall how long a stalled request is held before the fake closes it: longer than the client waits
     */
    public TwilioTransportFake(Clock clock, Duration stall) throws IOException {
        this.clock = clock;
        this.stall = stall;
        this.listening = listen(0);
        this.port = listening.getLocalPort();
        startAccepting(listening);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Chooses each create request's fault from its recipient and which create to that recipient it is (1 for the first). */
    public void faults(BiFunction<String, Integer, Fault> faults) {
        this.faults = faults;
    }

    /** Closes the listening socket, so connects are refused (ECONNREFUSED), and listens again on the same port after {@code d}. */
    public void refuseConnectionsFor(Duration d) throws IOException {
        listening.close();
        // The kernel keeps the socket listening until the thread blocked in accept() has been woken and
        // left the call; on a loaded machine that takes milliseconds, so wait for it: refused is what callers are promised.
        Awaitility.await("the listening socket closed").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> !listening());
        reopen.schedule(() -> {
            listening = listen(port);
            startAccepting(listening);
            return null;
        }, d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether a connect succeeds right now. */
    public boolean listening() {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every message the fake accepted, in order. */
    public synchronized List<Accepted> accepted() {
        return List.copyOf(log);
    }

    /** Create requests that reached the fake (accepted or not). */
    public int creates() {
        return creates.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public int lists() {
        return lists.get();
    }

    @Override
    public void close() throws IOException {
        listening.close();
        connections.shutdownNow();
        reopen.shutdownNow();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 512);
        return s;
    }

    private void startAccepting(ServerSocket server) {
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.execute(() -> serve(socket));
                } catch (IOException e) {
                    return; // closed: refusing connections until it listens again
                }
            }
        }, "twilio-transport-fake-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve(Socket socket) {
        try (socket) {
            Request request = Request.read(socket.getInputStream());
            if (request == null) {
                return;
            }
            if (!request.path.matches("/2010-04-01/Accounts/[A-Za-z0-9]+/Messages\\.json")) {
                respond(socket, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
            } else if (request.method.equals("GET")) {
                lists.incrementAndGet();
                respond(socket, 200, page(request.params.getOrDefault("To", "")));
            } else if (request.method.equals("POST")) {
                create(socket, request.params);
            } else {
                respond(socket, 405, "{\"code\":20004,\"message\":\"Method not allowed\",\"status\":405}");
            }
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    private void create(Socket socket, Map<String, String> form) throws IOException {
        String to = form.getOrDefault("To", "");
        int attempt = creates.computeIfAbsent(to, k -> new AtomicInteger()).incrementAndGet();
        Fault fault = faults.apply(to, attempt);
        Accepted accepted = null;
        if (fault == Fault.NONE || fault == Fault.TIMEOUT_AFTER_ACCEPTING || fault == Fault.RESET_AFTER_ACCEPTING) {
            accepted = record(to, form.getOrDefault("Body", ""));
        }
        switch (fault) {
            case NONE -> respond(socket, 201, json(accepted));
            case TIMEOUT_AFTER_ACCEPTING, TIMEOUT_BEFORE_ACCEPTING -> holdSilently(socket);
            case RESET_AFTER_ACCEPTING, RESET_BEFORE_ACCEPTING -> socket.setSoLinger(true, 0); // close() now sends RST
        }
    }

    /** Answers nothing until the client hangs up or {@code stall} has passed. */
    private void holdSilently(Socket socket) throws IOException {
        socket.setSoTimeout((int) stall.toMillis());
        try {
            while (socket.getInputStream().read() != -1) {
                // a client that gave up closes its end; nothing it sends is read
            }
        } catch (SocketTimeoutException e) {
            // held long enough: the client stopped waiting long ago
        }
    }

    private synchronized Accepted record(String to, String body) {
        Accepted a = new Accepted("SM" + UUID.randomUUID().toString().replace("-", ""), to, body, clock.instant());
        log.add(a);
        return a;
    }

    /** Twilio's list page for one recipient, newest first. */
    private synchronized String page(String to) {
        List<String> messages = new ArrayList<>();
        for (int i = log.size() - 1; i >= 0 && messages.size() < 50; i--) {
            if (log.get(i).to().equals(to)) {
                messages.add(json(log.get(i)));
            }
        }
        String uri = "/2010-04-01/Accounts/ACfakefakefakefakefakefakefakefake/Messages.json?PageSize=50&Page=0";
        return "{\"messages\":[" + String.join(",", messages) + "],\"end\":" + (messages.size() - 1) + ",\"first_page_uri\":\"" + uri
                + "\","
                + "\"next_page_uri\":null,\"page\":0,\"page_size\":50,\"previous_page_uri\":null,\"start\":0,\"uri\":\"" + uri + "\"}";
    }

    private static String json(Accepted a) {
        String date = RFC_2822.format(a.created());
        return "{\"account_sid\":\"ACfakefakefakefakefakefakefakefake\",\"api_version\":\"2010-04-01\",\"body\":\"" + escape(a.body())
                + "\","
                + "\"date_created\":\"" + date + "\",\"date_sent\":null,\"date_updated\":\"" + date + "\",\"direction\":\"outbound-api\","
                + "\"error_code\":null,\"error_message\":null,\"from\":\"+15017122661\",\"messaging_service_sid\":null,\"num_media\":\"0\","
                + "\"num_segments\":\"1\",\"price\":null,\"price_unit\":\"USD\",\"sid\":\"" + a.sid() + "\",\"status\":\"queued\","
                + "\"to\":\"" + escape(a.to()) + "\",\"uri\":\"/2010-04-01/Accounts/ACfakefakefakefakefakefakefakefake/Messages/" + a.sid()
                + ".json\"}";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void respond(Socket socket, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Error")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** The parts of an HTTP/1.1 request the fake needs: method, path, and query and form parameters together. */
    private record Request(String method, String path, Map<String, String> params) {

        static Request read(InputStream in) throws IOException {
            String requestLine = line(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return null;
            }
            String[] parts = requestLine.split(" ");
            int length = 0;
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                String name = header.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(header.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    throw new IOException("the fake reads Content-Length bodies only");
                }
            }
            byte[] body = in.readNBytes(length);
            String target = parts[1];
            int q = target.indexOf('?');
            Map<String, String> params = new LinkedHashMap<>();
            if (q >= 0) {
                parse(target.substring(q + 1), params);
            }
            parse(new String(body, StandardCharsets.UTF_8), params);
            return new Request(parts[0], q >= 0 ? target.substring(0, q) : target, params);
        }

        private static void parse(String form, Map<String, String> into) {
            for (String pair : form.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    into.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != -1; c = in.read()) {
                if (c == '\n') {
                    String s = b.toString(StandardCharsets.US_ASCII);
                    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
                }
                b.write(c);
            }
            return b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
        }
    }
}
