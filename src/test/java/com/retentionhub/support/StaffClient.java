package com.retentionhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Calls the staff API with an API key. */
public final class StaffClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final String apiKey;

    public StaffClient(int port, String apiKey) {
        this.port = port;
        this.apiKey = apiKey;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    public HttpResponse<String> put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> postWithKey(String path, String json, String idempotencyKey) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json").header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> sendText(String phone, String body) {
        return post("/api/messages", "{\"phone\":\"" + phone + "\",\"body\":\"" + body + "\"}");
    }

    public JsonNode conversation(String phone) {
        HttpResponse<String> response = get("/api/conversations?phone=" + URLEncoder.encode(phone, StandardCharsets.UTF_8));
        return response.statusCode() == 200 ? json(response) : null;
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(response.body(), e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
