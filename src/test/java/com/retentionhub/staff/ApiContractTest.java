package com.retentionhub.staff;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.retentionhub.platform.ApiAudit;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.OpenApiConformance;
import com.retentionhub.support.StaffClient;
import io.swagger.v3.oas.annotations.media.Schema;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The staff API's contract, read from its own OpenAPI document: every endpoint the application
 * maps under /api is listed; every key-guarded operation answers 401 problem+json to a missing or
 * wrong key; every operation that takes a JSON body or a numeric id answers 400 to bad input and
 * writes nothing; every call is audited.
 */
class ApiContractTest extends HubIntegrationTest {

    /** The tables a staff call can write (the audit aside); background work (dispatch, runs) writes none of them unasked. */
    private static final List<String> STAFF_WRITTEN = List.of("contact", "service_visit", "consent_event", "consent_state",
            "consent_tombstone",
            "campaign", "script", "sequence", "sequence_step", "enrollment", "ab_test", "ab_variant", "leads", "outreach_run",
            "outreach_target",
            "conversation_state_change", "appointment");

    /** The resources operations are grouped by in the document (and in Swagger UI). */
    private static final Set<String> RESOURCE_TAGS = Set.of("customers", "conversations", "messages", "consent", "leads", "campaigns",
            "scripts",
            "sequences", "batches", "warm-leads", "demo", "ab-tests", "analytics", "providers", "dead-letters", "audit", "appointments",
            "webhooks",
            "users");

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    record Operation(String method, String path, boolean guarded, boolean jsonBody) {}

    @Test
    void shouldListEveryApiEndpointTheApplicationMaps() throws Exception {
        JsonNode doc = openApi();
        Set<String> documented = new TreeSet<>();
        operations(doc).forEach(op -> documented.add(op.method() + " " + op.path()));

        Set<String> mapped = new TreeSet<>();
        mappings.getHandlerMethods().forEach((info, handler) -> info.getPatternValues().stream()
                .filter(p -> p.startsWith("/api/") && !p.startsWith("/api/openapi.json") && !p.startsWith("/api/docs"))
                .forEach(p -> info.getMethodsCondition().getMethods().forEach(m -> mapped.add(m.name() + " " + p))));

        assertThat(mapped).hasSizeGreaterThan(60);
        assertThat(documented).containsAll(mapped);
        // The provider webhooks under /api are documented too, as signed rather than key-guarded.
        assertThat(documented).contains("POST /api/inbound-sms", "POST /api/webhooks/meta", "GET /api/webhooks/meta",
                "POST /api/webhooks/keitaro",
                "GET /api/webhooks/keitaro");
        assertThat(doc.at("/components/securitySchemes/apiKey/name").asText()).isEqualTo("X-API-Key");
    }

    /**
     * The document names a schema by its class's simple name, so two body types called the same (a request
     * record and another API's answer) silently share one schema and one of them is described wrongly.
     */
    @Test
    void shouldGiveEveryRequestAndAnswerTypeOfTheApiANameNoOtherTypeHas() {
        Map<String, Set<String>> bySimpleName = new TreeMap<>();
        mappings.getHandlerMethods().forEach((info, handler) -> {
            if (info.getPatternValues().stream().noneMatch(p -> p.startsWith("/api/"))) {
                return;
            }
            List<Type> types = new ArrayList<>();
            types.add(handler.getMethod().getGenericReturnType());
            for (MethodParameter parameter : handler.getMethodParameters()) {
                if (parameter.hasParameterAnnotation(RequestBody.class)) {
                    types.add(parameter.getGenericParameterType());
                }
            }
            types.forEach(t -> bodyClasses(t, new HashSet<>()).stream()
                    .filter(c -> c.getTypeParameters().length == 0) // a generic one is named with its arguments (PageCustomer)
                    .forEach(c -> bySimpleName.computeIfAbsent(schemaName(c), k -> new TreeSet<>()).add(c.getName())));
        });
        bySimpleName.values().removeIf(names -> names.size() < 2);
        assertThat(bySimpleName).as("API body types sharing a schema name").isEmpty();
    }

    private static String schemaName(Class<?> c) {
        Schema named = c.getAnnotation(Schema.class);
        return named != null && !named.name().isEmpty() ? named.name() : c.getSimpleName();
    }

    /** The project's own classes in a declared type, generic arguments included (a List of X, a ResponseEntity of X). */
    private static List<Class<?>> bodyClasses(Type type, Set<Class<?>> seen) {
        List<Class<?>> found = new ArrayList<>();
        if (type instanceof ParameterizedType p) {
            found.addAll(bodyClasses(p.getRawType(), seen));
            for (Type argument : p.getActualTypeArguments()) {
                found.addAll(bodyClasses(argument, seen));
            }
        } else if (type instanceof Class<?> c && c.getName().startsWith("com.retentionhub.") && seen.add(c)) {
            found.add(c);
            if (c.isRecord()) {
                for (RecordComponent component : c.getRecordComponents()) {
                    found.addAll(bodyClasses(component.getGenericType(), seen));
                }
            }
        }
        return found;
    }

    @Test
    void shouldDescribeEveryOperationWithASummaryADescriptionAResourceTagAndTypedBodies() throws Exception {
        JsonNode doc = openApi();
        List<String> faults = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            String name = method.getKey().toUpperCase() + " " + path.getKey();
            JsonNode op = method.getValue();
            if (op.path("summary").asText().isBlank()) {
                faults.add(name + " has no summary");
            }
            if (op.path("description").asText().isBlank()) {
                faults.add(name + " has no description");
            }
            if (op.path("tags").size() != 1 || !RESOURCE_TAGS.contains(op.path("tags").path(0).asText())) {
                faults.add(name + " is not tagged with one resource of " + RESOURCE_TAGS + ": " + op.path("tags"));
            }
            JsonNode request = op.at("/requestBody/content/application~1json/schema");
            if (!request.isMissingNode() && untyped(doc, request)) {
                faults.add(name + " takes an untyped JSON object");
            }
            op.path("responses").fields().forEachRemaining(response -> {
                JsonNode schema = response.getValue().at("/content/application~1json/schema");
                if (response.getKey().startsWith("2") && !schema.isMissingNode() && untyped(doc, schema)) {
                    faults.add(name + " answers " + response.getKey() + " with an untyped JSON object");
                }
            });
        }));
        assertThat(faults).isEmpty();
    }

    @Test
    void shouldDocumentASequenceStepsDelayAsTheServerTakesIt() throws Exception {
        JsonNode step = openApi().at("/components/schemas/StepDefinition/properties");

        assertThat(step.has("delayMinutes")).isFalse();
        JsonNode delay = step.get("delay");
        assertThat(delay).isNotNull();
        assertThat(delay.path("$ref").asText()).isEqualTo("#/components/schemas/Delay");
    }

    @Test
    void shouldNameTheRefusedFieldInAProblem() {
        HttpResponse<String> constraint = staff.post("/api/customers",
                "{\"phone\": \"" + newPhone() + "\", \"email\": \"not-an-address\"}");
        HttpResponse<String> wrongType = staff.post("/api/sequences",
                "{\"name\": \"n\", \"steps\": [{\"channel\": \"SMS\", \"delay\": {\"value\": \"soon\","
                        + " \"unit\": \"days\"}, \"script\": \"s\"}]}");

        assertThat(constraint.statusCode()).isEqualTo(400);
        assertThat(StaffClient.json(constraint).get("detail").asText()).startsWith("email: ");
        assertThat(StaffClient.json(constraint).at("/errors/0/field").asText()).isEqualTo("email");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(StaffClient.json(wrongType).get("detail").asText()).isEqualTo("steps[0].delay.value: must be a number");
    }

    @Test
    void shouldCatchACallTheDocumentDoesNotDescribe() {
        // The server ignores a field it does not know; the document says no such field exists, so the call is named.
        HttpResponse<String> accepted = staff.post("/api/leads", "{\"phone\": \"" + newPhone() + "\", \"nickname\": \"Bo\"}");

        assertThat(accepted.statusCode()).isEqualTo(201);
        assertThat(OpenApiConformance.drain()).singleElement().asString()
                .startsWith("POST /api/leads request body does not match the document").contains("nickname");
    }

    /** An object schema with no properties, items or composition: a client learns nothing from it. */
    private static boolean untyped(JsonNode doc, JsonNode schema) {
        JsonNode s = schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
        if (s.has("anyOf") || s.has("oneOf") || s.has("allOf") || s.has("items") || s.has("properties")) {
            return false;
        }
        JsonNode type = s.path("type");
        boolean object = type.isMissingNode() || type.asText().equals("object") || (type.isArray() && type.toString().contains("object"));
        JsonNode additional = s.path("additionalProperties");
        return object && (additional.isMissingNode() || additional.isBoolean() || additional.isEmpty());
    }

    @Test
    void shouldServeABrowsableUi() throws Exception {
        HttpResponse<String> entry = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(entry.statusCode()).isEqualTo(302);
        String location = entry.headers().firstValue("Location").orElse("");
        assertThat(location).contains("swagger-ui/index.html");
        HttpResponse<String> ui = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port).resolve(location)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.body()).contains("Swagger UI");
    }

    @Test
    void shouldRefuseAMissingOrWrongKeyOnEveryGuardedOperationAndAuditIt() throws Exception {
        List<Operation> guarded = operations(openApi()).stream().filter(Operation::guarded).toList();
        assertThat(guarded).hasSizeGreaterThan(60);
        int auditBefore = count("SELECT count(*) FROM api_audit WHERE status = 401");
        Map<String, Integer> before = counts();
        for (Operation op : guarded) {
            for (String key : new String[] {null, "wrong-key"}) {
                HttpResponse<String> response = call(op, key, op.jsonBody() ? "{}" : null, "1");
                assertThat(response.statusCode()).as(op + " with key " + key).isEqualTo(401);
                assertThat(response.headers().firstValue("Content-Type").orElse("")).as(op.toString())
                        .startsWith("application/problem+json");
                assertThat(response.body()).doesNotContain("Exception");
            }
        }
        assertThat(counts()).isEqualTo(before);
        assertThat(count("SELECT count(*) FROM api_audit WHERE status = 401") - auditBefore).isEqualTo(guarded.size() * 2);
        assertThat(count("SELECT count(*) FROM api_audit WHERE status = 401 AND key_id = 'invalid'")).isPositive();
    }

    @Test
    void shouldAnswerBadInputWith400AndWriteNothing() throws Exception {
        List<Operation> ops = operations(openApi()).stream().filter(Operation::guarded).toList();
        Map<String, Integer> before = counts();
        int checked = 0;
        for (Operation op : ops) {
            if (op.jsonBody()) {
                HttpResponse<String> malformed = call(op, "test-key-1", "{\"name\": ", "1");
                assertThat(malformed.statusCode()).as(op + " malformed JSON").isEqualTo(400);
                assertThat(malformed.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
                checked++;
            }
            if (op.path().contains("{id}")) {
                HttpResponse<String> notANumber = call(op, "test-key-1", op.jsonBody() ? "{}" : null, "abc");
                assertThat(notANumber.statusCode()).as(op + " with a non-numeric id").isEqualTo(400);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(40);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void shouldAuditEachCallWithTheKeysFingerprintNeverTheKey() {
        staff.get("/api/customers?size=1");
        HttpResponse<String> audit = staff.get("/api/audit?size=5");

        assertThat(audit.statusCode()).isEqualTo(200);
        JsonNode entries = StaffClient.json(audit);
        JsonNode call = null;
        for (JsonNode e : entries) {
            if (e.get("action").asText().equals("/api/customers")) {
                call = e;
                break;
            }
        }
        assertThat(call).isNotNull();
        assertThat(call.get("keyId").asText()).isEqualTo(ApiAudit.keyId("test-key-1")).startsWith("key-")
                .doesNotContain("test-key-1");
        assertThat(call.get("method").asText()).isEqualTo("GET");
        assertThat(call.get("status").asInt()).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM api_audit WHERE key_id LIKE '%test-key%' OR target LIKE '%test-key%'")).isZero();
    }

    @Test
    void shouldAnswerAnUnknownEndpointAndAMissingThingAsProblems() {
        HttpResponse<String> unknown = staff.get("/api/no-such-thing");
        HttpResponse<String> missing = staff.get("/api/campaigns/987654321");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(StaffClient.json(missing).get("detail").asText()).isEqualTo("no campaign 987654321");
    }

    private JsonNode openApi() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/openapi.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return StaffClient.json(response);
    }

    private static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            JsonNode op = method.getValue();
            boolean signed = op.has("security") && op.get("security").isEmpty();
            boolean json = op.at("/requestBody/content").has("application/json");
            ops.add(new Operation(method.getKey().toUpperCase(), path.getKey(), !signed, json));
        }));
        return ops;
    }

    private HttpResponse<String> call(Operation op, String key, String body, String id) throws Exception {
        String path = op.path().replaceAll("\\{[^}]+}", id).replace("{phone}", "+14155550100");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (key != null) {
            request.header("X-API-Key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(op.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        STAFF_WRITTEN.forEach(t -> counts.put(t, count("SELECT count(*) FROM " + t)));
        return counts;
    }
}
