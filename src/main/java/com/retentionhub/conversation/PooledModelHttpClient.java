package com.retentionhub.conversation;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;
import org.apache.hc.core5.util.Timeout;

/**
 * The chat model's HTTP client: Apache HttpClient 5's blocking client over a connection pool sized
 * for the reply workers, each of which waits for its own answer anyway. langchain4j's default, the
 * JDK client, runs every call through its asynchronous machinery and its own executor threads.
 * The hub does not stream, so streaming is not offered.
 */
final class PooledModelHttpClient implements HttpClient {

    private final CloseableHttpClient client;

    private PooledModelHttpClient(CloseableHttpClient client) {
        this.client = client;
    }

    /** A builder for a pool of {@code connections}; langchain4j sets the timeouts from the model's configuration. */
    static Builder builder(int connections) {
        return new Builder(connections);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        BasicClassicHttpRequest call = new BasicClassicHttpRequest(request.method().name(), URI.create(request.url()));
        request.headers().forEach((name, values) -> values.forEach(value -> call.addHeader(name, value)));
        if (request.body() != null) {
            call.setEntity(new StringEntity(request.body(), ContentType.APPLICATION_JSON));
        }
        try {
            return client.execute(call, response -> {
                String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                if (response.getCode() >= 400) {
                    throw new HttpException(response.getCode(), body);
                }
                Map<String, List<String>> headers = new LinkedHashMap<>();
                for (Header h : response.getHeaders()) {
                    headers.computeIfAbsent(h.getName(), n -> new ArrayList<>()).add(h.getValue());
                }
                return SuccessfulHttpResponse.builder().statusCode(response.getCode()).headers(headers).body(body).build();
            });
        } catch (SocketTimeoutException e) {
            throw new TimeoutException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        throw new UnsupportedOperationException("the hub does not stream model answers");
    }

    static final class Builder implements HttpClientBuilder {

        private final int connections;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(60);

        private Builder(int connections) {
            this.connections = connections;
        }

        @Override
        public Duration connectTimeout() {
            return connectTimeout;
        }

        @Override
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        @Override
        public Duration readTimeout() {
            return readTimeout;
        }

        @Override
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = timeout;
            return this;
        }

        @Override
        public PooledModelHttpClient build() {
            ConnectionConfig connection = ConnectionConfig.custom().setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(readTimeout)).build();
            // No retries: a failed answer falls back to a template at once.
            return new PooledModelHttpClient(HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setMaxConnTotal(connections)
                            .setMaxConnPerRoute(connections).setDefaultConnectionConfig(connection).build())
                    .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.of(readTimeout))
                            .setConnectionRequestTimeout(Timeout.of(readTimeout)).build())
                    .disableAutomaticRetries().disableCookieManagement().build());
        }
    }
}
