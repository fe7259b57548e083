package com.retentionhub.connector.twilio;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * A Twilio SDK HTTP client that sends every request to a configured base URL instead of
 * api.twilio.com, so a Twilio-compatible API or a local fake can stand in. It also makes exactly
 * one attempt per call: retries belong to the dispatcher, which knows a 5xx may already have sent
 * the text (so the HTTP client's own retries are off too).
 */
final class BaseUrlHttpClient extends HttpClient {

    private final NetworkHttpClient delegate;
    private final String baseUrl;

    BaseUrlHttpClient(String baseUrl, int connectTimeoutMs, int readTimeoutMs) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        Timeout read = Timeout.ofMilliseconds(readTimeoutMs);
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setDefaultSocketConfig(SocketConfig.copy(DEFAULT_SOCKET_CONFIG).setSoTimeout(read).build());
        connections.setDefaultMaxPerRoute(20); // the SDK's pool sizes
        connections.setMaxTotal(100);
        // Apache HttpClient's default strategy repeats a request after a 429 or 503, a POST too: a text sent twice behind dispatch's back.
        this.delegate = new NetworkHttpClient(HttpClientBuilder.create().useSystemProperties().setConnectionManager(connections)
                .setDefaultRequestConfig(
                        RequestConfig.copy(DEFAULT_REQUEST_CONFIG).setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMs))
                                .setResponseTimeout(read).build())
                .disableAutomaticRetries());
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        return delegate.makeRequest(rebase(request));
    }

    Request rebase(Request original) {
        URL url = original.constructURL();
        Request copy = new Request(original.getMethod(), baseUrl + url.getPath());
        if (original.getAuthStrategy() != null) {
            copy.setAuth(original.getAuthStrategy());
        } else if (original.getUsername() != null) {
            copy.setAuth(original.getUsername(), original.getPassword());
        }
        if (original.getContentType() != null) {
            copy.setContentType(original.getContentType());
        }
        if (original.getBody() != null) {
            copy.setBody(original.getBody());
        }
        copyParams(original.getQueryParams(), copy::addQueryParam);
        copyParams(original.getPostParams(), copy::addPostParam);
        copyParams(original.getHeaderParams(), copy::addHeaderParam);
        return copy;
    }

    private static void copyParams(Map<String, List<String>> params, BiConsumer<String, String> add) {
        params.forEach((name, values) -> values.forEach(v -> add.accept(name, v)));
    }
}
