package com.retentionhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stateful fake of an HTTP SMS gateway in the SMS-Retail preset's wire format, for tests where
 * hubs in other processes send to it: it remembers every send by its {@code reference}, so the
 * lookup by reference answers truthfully (200 with the message id, or 404) the way the hub's
 * reconciliation expects, and it counts arrivals per recipient so a test can see a message sent twice.
 */
public final class SmsRetailGateway implements AutoCloseable {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32);
    private final Map<String, String> idByReference = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> arrivalsByRecipient = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong arrivals = new AtomicLong();

    public SmsRetailGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(threads);
        server.createContext("/api/v1/sms/send", this::send);
        server.createContext("/api/v1/sms/by-reference/", this::lookup);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void send(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        String reference = body.path("reference").asText();
        String to = body.path("to").asText();
        String id = idByReference.computeIfAbsent(reference, r -> "gw-" + ids.incrementAndGet());
        arrivals.incrementAndGet();
        arrivalsByRecipient.computeIfAbsent(to, t -> new AtomicInteger()).incrementAndGet();
        answer(exchange, 200, "{\"message_id\":\"" + id + "\",\"status\":\"accepted\"}");
    }

    private void lookup(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String reference = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        String id = idByReference.get(reference);
        if (id == null) {
            answer(exchange, 404, "{\"error\":\"not_found\"}");
        } else {
            answer(exchange, 200, "{\"message_id\":\"" + id + "\",\"status\":\"sent\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public long arrivals() {
        return arrivals.get();
    }

    public int recipients() {
        return arrivalsByRecipient.size();
    }

    /** Recipients who got more than one message. */
    public long recipientsReachedTwice() {
        return arrivalsByRecipient.values().stream().filter(n -> n.get() > 1).count();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
