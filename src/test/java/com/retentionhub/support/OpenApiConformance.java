package com.retentionhub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingRequestWrapper;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Test-only: every /api exchange a test makes is checked against the application's own
 * /api/openapi.json (operation found, status documented, JSON bodies valid against the documented
 * schema), and what does not conform is recorded for {@link HubIntegrationTest} to fail the test.
 */
@TestConfiguration(proxyBeanMethods = false)
public class OpenApiConformance {

    private static final List<String> VIOLATIONS = new CopyOnWriteArrayList<>();

    /** The violations recorded since the last call, which clears them. */
    public static List<String> drain() {
        List<String> seen = List.copyOf(VIOLATIONS);
        VIOLATIONS.removeAll(seen);
        return seen;
    }

    /** For a test class with a context of its own: {@code @Import(OpenApiConformance.class) @ExtendWith(OpenApiConformance.Check.class)}. */
    public static final class Check implements BeforeEachCallback, AfterEachCallback {

        @Override
        public void beforeEach(ExtensionContext context) {
            drain();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            failOnViolations();
        }
    }

    /** Fails with every violation recorded since the last drain, naming operation, status and schema error. */
    public static void failOnViolations() {
        List<String> violations = drain();
        if (!violations.isEmpty()) {
            throw new AssertionError("calls that do not conform to /api/openapi.json:\n  " + String.join("\n  ", violations));
        }
    }

    @Bean
    FilterRegistrationBean<Filter> openApiConformanceFilter(ObjectMapper json) {
        FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new ConformanceFilter(json));
        registration.addUrlPatterns("/api/*");
        // Outermost, so refusals by the security filters (401) are checked too.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Validates one exchange after the application answered it; never changes the answer. */
    static final class ConformanceFilter extends OncePerRequestFilter {

        private final ObjectMapper json;
        private final JsonSchemaFactory schemas = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();
        private volatile JsonNode document;
        private volatile List<PathTemplate> paths;

        ConformanceFilter(ObjectMapper json) {
            this.json = json;
        }

        record PathTemplate(String template, Pattern pattern, int variables) {}

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            String uri = request.getRequestURI();
            return !uri.startsWith("/api/") || uri.startsWith("/api/openapi.json") || uri.startsWith("/api/docs")
                    || uri.startsWith("/api/swagger-ui");
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            // Only JSON is kept, and only as the application reads it: reading it up front here would
            // wait out a trickled body past the hub's own read deadline (BodyDeadline answers 408).
            boolean jsonRequest = isJson(request.getContentType());
            ContentCachingRequestWrapper read = jsonRequest ? new ContentCachingRequestWrapper(request) : null;
            ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
            try {
                chain.doFilter(jsonRequest ? read : request, answer);
            } finally {
                try {
                    byte[] requestBody = jsonRequest ? read.getContentAsByteArray() : new byte[0];
                    check(request, requestBody, answer.getStatus(), answer.getContentType(), answer.getContentAsByteArray());
                } catch (RuntimeException e) {
                    VIOLATIONS.add(request.getMethod() + " " + request.getRequestURI() + ": the conformance check failed: " + e);
                }
                answer.copyBodyToResponse();
            }
        }

        private void check(HttpServletRequest request, byte[] requestBody, int status, String responseType, byte[] responseBody) {
            JsonNode doc = document(request.getLocalPort());
            String method = request.getMethod().toLowerCase();
            Optional<PathTemplate> path = paths.stream().filter(p -> p.pattern().matcher(request.getRequestURI()).matches())
                    .filter(p -> doc.get("paths").get(p.template()).has(method)).min(Comparator.comparingInt(PathTemplate::variables));
            if (path.isEmpty()) {
                return; // not an operation (an unknown path answers 404 and is checked by ApiContractTest)
            }
            String op = request.getMethod() + " " + path.get().template();
            String pointer = "/paths/" + escape(path.get().template()) + "/" + method;
            JsonNode operation = doc.at(pointer);

            if (status >= 200 && status < 300 && requestBody.length > 0 && isJson(request.getContentType())) {
                // Only an accepted request must match: a refused one is bad input on purpose.
                JsonNode content = operation.at("/requestBody/content");
                String mediaType = mediaType(content, request.getContentType());
                if (mediaType == null && !content.isMissingNode()) {
                    VIOLATIONS.add(op + " answered " + status + " to a JSON body the document does not describe");
                } else if (mediaType == null) {
                    // An operation that takes no body ignores one; only an empty object says nothing it would drop.
                    if (!isEmptyObject(requestBody)) {
                        VIOLATIONS.add(op + " takes no body, yet answered " + status + " to "
                                + new String(excerpt(requestBody), StandardCharsets.UTF_8));
                    }
                } else {
                    validate(op + " request body", pointer + "/requestBody/content/" + escape(mediaType) + "/schema", requestBody);
                }
            }

            JsonNode responses = operation.get("responses");
            String code = String.valueOf(status);
            if (responses == null || !(responses.has(code) || responses.has(code.charAt(0) + "XX") || responses.has("default"))) {
                VIOLATIONS.add(op + " answered " + status + ", which the document does not list (it lists "
                        + (responses == null ? "none" : iterable(responses.fieldNames())) + ")");
                return;
            }
            String key = responses.has(code) ? code : responses.has(code.charAt(0) + "XX") ? code.charAt(0) + "XX" : "default";
            JsonNode content = responses.get(key).path("content");
            if (responseBody.length == 0 || responseType == null) {
                return;
            }
            if (!isJson(responseType)) {
                // Text answers (CSV, iCalendar) must be among the documented media types, where the operation documents any.
                if (!content.isMissingNode() && !content.isEmpty() && mediaType(content, responseType) == null) {
                    VIOLATIONS.add(op + " answered " + status + " " + responseType + ", which the document does not describe (it lists "
                            + iterable(content.fieldNames()) + ")");
                }
                return;
            }
            String mediaType = mediaType(content, responseType);
            if (mediaType == null) {
                VIOLATIONS.add(op + " answered " + status + " " + responseType + ", which the document does not describe (it lists "
                        + iterable(content.fieldNames()) + ")");
                return;
            }
            validate(op + " " + status + " response", pointer + "/responses/" + key + "/content/" + escape(mediaType) + "/schema",
                    responseBody);
        }

        private void validate(String what, String schemaPointer, byte[] body) {
            JsonNode value;
            try {
                value = json.readTree(body);
            } catch (IOException e) {
                VIOLATIONS.add(what + " is not JSON: " + e.getMessage());
                return;
            }
            JsonSchema schema = compiled.computeIfAbsent(schemaPointer, p -> {
                JsonNode found = document.at(p);
                if (found.isMissingNode()) {
                    return null;
                }
                // The operation's schema as the root, with the document's components beside it so its $refs resolve.
                ObjectNode root = found.isObject() ? ((ObjectNode) found).deepCopy() : json.createObjectNode();
                root.set("components", closed(document.get("components").deepCopy()));
                return schemas.getSchema(root);
            });
            if (schema == null) {
                VIOLATIONS.add(what + ": no schema at " + schemaPointer);
                return;
            }
            Set<ValidationMessage> errors = schema.validate(value);
            if (!errors.isEmpty()) {
                VIOLATIONS.add(what + " does not match the document: "
                        + errors.stream().map(ValidationMessage::getMessage).sorted().limit(5).toList()
                        + " in " + new String(excerpt(body), StandardCharsets.UTF_8));
            }
        }

        /**
         * The components with every plain object schema closed (no properties but the documented ones), so a field the
         * server answers or takes that the document leaves out is found too.
         */
        private static JsonNode closed(JsonNode components) {
            components.path("schemas").forEach(schema -> {
                if (schema.isObject() && schema.has("properties") && !schema.has("additionalProperties") && !schema.has("allOf")
                        && !schema.has("oneOf") && !schema.has("anyOf")) {
                    ((ObjectNode) schema).put("additionalProperties", false);
                }
            });
            return components;
        }

        private static byte[] excerpt(byte[] body) {
            return body.length > 600 ? Arrays.copyOf(body, 600) : body;
        }

        /** The documented media type an exchange's content type falls under: itself, else any. */
        private static String mediaType(JsonNode content, String contentType) {
            if (content == null || content.isMissingNode() || content.isEmpty()) {
                return null;
            }
            String type = contentType.split(";")[0].trim().toLowerCase();
            return content.has(type) ? type : content.has("*/*") ? "*/*" : null;
        }

        private boolean isEmptyObject(byte[] body) {
            try {
                JsonNode node = json.readTree(body);
                return node != null && node.isObject() && node.isEmpty();
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean isJson(String contentType) {
            return contentType != null && contentType.toLowerCase().contains("json");
        }

        private static String escape(String token) {
            return token.replace("~", "~0").replace("/", "~1");
        }

        private static String iterable(Iterator<String> names) {
            Collection<String> all = new ArrayList<>();
            names.forEachRemaining(all::add);
            return String.join(", ", all);
        }

        private JsonNode document(int port) {
            if (document == null) {
                synchronized (this) {
                    if (document == null) {
                        try {
                            HttpResponse<String> answer = HttpClient.newHttpClient().send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/openapi.json")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            JsonNode doc = json.readTree(answer.body());
                            List<PathTemplate> templates = new ArrayList<>();
                            doc.get("paths").fieldNames().forEachRemaining(t -> templates.add(new PathTemplate(t,
                                    Pattern.compile(Pattern.quote(t).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q")),
                                    t.split("\\{", -1).length - 1)));
                            paths = templates;
                            document = doc;
                        } catch (IOException e) {
                            throw new IllegalStateException("cannot read /api/openapi.json", e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
            return document;
        }
    }
}
