package com.retentionhub.staff;

import com.retentionhub.lead.LeadImport;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document at /api/openapi.json: every staff endpoint under the X-API-Key scheme, with
 * its resource tag, summary, description, success and refusal statuses from {@code openapi/operations.yaml},
 * the 400 and 401 problem+json answers every one of them can give, plus the provider webhooks that
 * also live under /api (verified by signature or token, not by key).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    static final String API_KEY = "apiKey";

    /** The reference text per operation; kept apart from the controllers so the prose reads as one document. */
    static final String CATALOGUE = "openapi/operations.yaml";

    @Bean
    OpenAPI hubOpenApi() {
        return new OpenAPI()
                .info(new Info().title("retention-hub staff API").version("1")
                        .description(
                                "Customers, conversations, transcripts, reach-out runs, warm-lead farming, leads, campaigns, sequences,"
                                        + " A/B tests and analytics. Every call needs an X-API-Key header and is audited. Errors are"
                                        + " application/problem+json; a refused field is named in detail and in errors[]."))
                .components(new Components()
                        .addSecuritySchemes(API_KEY,
                                new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name("X-API-Key")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY));
    }

    /** Applies the catalogue, adds the refusals every key-guarded operation can answer, and the webhooks springdoc cannot see (they are Camel routes). */
    @Bean
    OpenApiCustomizer referenceRefusalsAndWebhooks() {
        Map<String, Map<String, Object>> catalogue = catalogue();
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSchemas("Problem", problemSchema());
            // The answers controllers build as maps or return as Object: springdoc cannot see their types.
            List<Class<?>> views = new ArrayList<>(List.of(ApiViews.class.getDeclaredClasses()));
            views.add(LeadImport.Result.class);
            for (Class<?> view : views) {
                ModelConverters.getInstance(true).readAll(new AnnotatedType(view)).forEach(components.getSchemas()::putIfAbsent);
            }
            openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                op.setResponses(responses);
                Map<String, Object> entry = catalogue.get(method.name() + " " + path);
                if (entry != null) {
                    apply(entry, op, responses);
                }
                responses.putIfAbsent("400", problem("bad input; nothing was written (detail names the field)"));
                responses.putIfAbsent("401", problem("missing or invalid X-API-Key"));
                if (op.getRequestBody() != null) {
                    responses.putIfAbsent("408", problem("the body did not arrive within hub.http.body-read-timeout"));
                }
            }));
            Set<Schema<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            components.getSchemas().values().forEach(schema -> truthfulPatterns(schema, seen));
            openApi.path("/api/inbound-sms", webhook("Inbound SMS from Twilio (alias of /sms)",
                    "A Twilio messaging webhook (form-encoded); verified by X-Twilio-Signature over PUBLIC_BASE_URL, stored once per MessageSid,"
                            + " answered with TwiML. 403 for a bad signature.",
                    body("application/x-www-form-urlencoded",
                            fields(Set.of("MessageSid", "From"), "MessageSid", "AccountSid", "From", "To", "Body",
                                    "NumSegments", "NumMedia"))));
            openApi.path("/api/webhooks/meta", webhook("Meta lead ads (alias of /webhooks/meta)",
                    "Meta's leadgen notifications; verified by X-Hub-Signature-256, stored once per leadgen_id. 403 for a bad signature.",
                    body("application/json", metaNotification()))
                    .get(new Operation().summary("Meta subscription handshake")
                            .description("Answers hub.challenge when hub.verify_token matches;"
                                    + " 403 otherwise.")
                            .security(List.of()).tags(List.of("webhooks"))
                            .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("the challenge"))
                                    .addApiResponse("403", new ApiResponse().description("wrong verify token")))));
            PathItem keitaro = webhook("Keitaro postbacks (alias of /webhooks/keitaro)",
                    "Keitaro conversion postbacks (query, form or JSON); verified by the token query parameter, stored once per sub_id, status"
                            + " and transaction id. 404 for a wrong token (the path is not admitted to exist).",
                    body("application/json",
                            fields(Set.of(), "subid", "sub_id", "tid", "status", "payout", "revenue", "currency", "click_id")));
            keitaro.getPost().getResponses().addApiResponse("404", new ApiResponse().description("wrong or missing token"));
            // Keitaro sends a postback as GET or POST, the same either way.
            openApi.path("/api/webhooks/keitaro",
                    keitaro.get(new Operation().summary("Keitaro postbacks as GET (alias of /webhooks/keitaro)")
                            .description(keitaro.getPost().getDescription()).tags(List.of("webhooks")).security(List.of())
                            .responses(keitaro.getPost().getResponses())));
        };
    }

    /** A Bean Validation pattern that only lists words, e.g. {@code (?i)active|paused|cancelled}. */
    private static final Pattern WORD_LIST = Pattern.compile("(\\(\\?i\\))?[\\w-]+(\\|[\\w-]+)+");

    /**
     * Bean Validation matches a {@code @Pattern} against the whole value, JSON Schema searches within it and knows no
     * {@code (?i)}: a word list becomes an enum (or, case-insensitive, an anchored pattern every client reads the same).
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void truthfulPatterns(Schema<?> schema, Set<Schema<?>> seen) {
        if (schema == null || !seen.add(schema)) {
            return;
        }
        String pattern = schema.getPattern();
        if (pattern != null && WORD_LIST.matcher(pattern).matches()) {
            boolean anyCase = pattern.startsWith("(?i)");
            List<String> words = List.of(pattern.replace("(?i)", "").split("\\|"));
            if (anyCase) {
                schema.setPattern("^(?:" + String.join("|", words.stream().map(OpenApiConfiguration::anyCase).toList()) + ")$");
                schema.setDescription(
                        (schema.getDescription() == null ? "" : schema.getDescription() + "; ") + "one of " + String.join(", ", words)
                                + ", in any case");
            } else {
                schema.setPattern(null);
                ((Schema) schema).setEnum(new ArrayList<>(words));
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().values().forEach(p -> truthfulPatterns(p, seen));
        }
        truthfulPatterns(schema.getItems(), seen);
    }

    private static String anyCase(String word) {
        StringBuilder out = new StringBuilder();
        for (char c : word.toCharArray()) {
            out.append(Character.isLetter(c)
                    ? "[" + Character.toLowerCase(c) + Character.toUpperCase(c) + "]"
                    : c == '-' ? "-" : String.valueOf(c));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static void apply(Map<String, Object> entry, Operation op, ApiResponses responses) {
        op.setTags(List.of((String) entry.get("tag")));
        if (op.getSummary() == null) {
            op.setSummary((String) entry.get("summary"));
        }
        if (op.getDescription() == null) {
            op.setDescription((String) entry.get("description"));
        }
        // Two handlers on one path (GET /api/conversations with and without phone) merge into one operation: their params are optional.
        List<String> optional = (List<String>) entry.getOrDefault("optional", List.of());
        if (op.getParameters() != null) {
            op.getParameters().stream().filter(p -> optional.contains(p.getName())).forEach(p -> p.setRequired(false));
        }
        // springdoc documents every success as 200; the catalogue says which the server answers (201, 202, 204, or two).
        ApiResponse ok = responses.remove("200");
        Content content = ok == null ? null : ok.getContent();
        Object response = entry.get("response");
        if (response != null) {
            List<String> names = response instanceof List<?> l ? (List<String>) l : List.of((String) response);
            Schema<?> schema = names.size() == 1
                    ? ref(names.get(0))
                    : new Schema<>().anyOf(names.stream().map(n -> (Schema) ref(n)).toList());
            content = new Content().addMediaType("application/json", new MediaType().schema(schema));
        }
        // Exports answer text as well as (or instead of) JSON.
        Object produces = entry.get("produces");
        if (produces != null) {
            content = new Content();
            for (String type : produces instanceof List<?> l ? (List<String>) l : List.of((String) produces)) {
                content.addMediaType(type, new MediaType().schema(new Schema<>().types(Set.of("string"))));
            }
        }
        for (String type : (List<String>) entry.getOrDefault("also", List.of())) {
            content.addMediaType(type, new MediaType().schema(new Schema<>().types(Set.of("string"))));
        }
        List<Integer> statuses = (List<Integer>) entry.getOrDefault("status", List.of(200));
        for (int status : statuses) {
            ApiResponse answer = new ApiResponse().description(HttpStatus.valueOf(status).getReasonPhrase());
            responses.addApiResponse(String.valueOf(status), status == 204 ? answer : answer.content(content));
        }
        Map<Object, Object> refuses = (Map<Object, Object>) entry.getOrDefault("refuses", Map.of());
        refuses.forEach((status, why) -> responses.addApiResponse(String.valueOf(status), problem((String) why)));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> catalogue() {
        try (InputStream in = new ClassPathResource(CATALOGUE).getInputStream()) {
            return new TreeMap<>((Map<String, Map<String, Object>>) new Yaml().load(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 9457 problem details as ApiErrors writes them; {@code errors} lists each refused field. */
    private static Schema<?> problemSchema() {
        Schema<?> fieldError = new Schema<>().types(Set.of("object")).addProperty("field", new Schema<>().types(Set.of("string")))
                .addProperty("rule", new Schema<>().types(Set.of("string")));
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("type", new Schema<>().types(Set.of("string")));
        properties.put("title", new Schema<>().types(Set.of("string")));
        properties.put("status", new Schema<>().types(Set.of("integer")));
        properties.put("detail", new Schema<>().types(Set.of("string")));
        properties.put("instance", new Schema<>().types(Set.of("string")));
        properties.put("errors", new Schema<>().types(Set.of("array")).items(fieldError));
        Schema<?> problem = new Schema<>().types(Set.of("object")).description("a refusal: status, title and a terse detail");
        problem.setProperties(properties);
        return problem;
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
                new MediaType().schema(ref("Problem"))));
    }

    /** Meta's leadgen notification; Meta adds fields over time, so the object stays open. */
    private static Schema<?> metaNotification() {
        Schema<?> value = fields(Set.of("leadgen_id"), "leadgen_id", "page_id", "form_id", "ad_id", "adgroup_id");
        value.addProperty("created_time", new Schema<>().types(Set.of("integer")));
        Schema<?> change = new Schema<>().types(Set.of("object")).addProperty("field", new Schema<>().types(Set.of("string")))
                .addProperty("value", value);
        Schema<?> entry = new Schema<>().types(Set.of("object")).addProperty("id", new Schema<>().types(Set.of("string")))
                .addProperty("time", new Schema<>().types(Set.of("integer")))
                .addProperty("changes", new Schema<>().types(Set.of("array")).items(change));
        return new Schema<>().types(Set.of("object")).addProperty("object", new Schema<>().types(Set.of("string")))
                .addProperty("entry", new Schema<>().types(Set.of("array")).items(entry));
    }

    /** An open object of string-or-number fields, as providers send them. */
    private static Schema<?> fields(Set<String> required, String... names) {
        Schema<?> object = new Schema<>().types(Set.of("object"));
        for (String name : names) {
            object.addProperty(name, new Schema<>().types(Set.of("string", "number")));
        }
        if (!required.isEmpty()) {
            object.setRequired(List.copyOf(required));
        }
        return object;
    }

    private static RequestBody body(String mediaType, Schema<?> schema) {
        return new RequestBody().content(new Content().addMediaType(mediaType, new MediaType().schema(schema)));
    }

    private static PathItem webhook(String summary, String description, RequestBody body) {
        return new PathItem().post(new Operation().summary(summary).description(description).tags(List.of("webhooks")).requestBody(body)
                // Providers sign their calls; no API key applies.
                .security(List.of())
                .responses(new ApiResponses().addApiResponse("200", new ApiResponse().description("stored"))
                        .addApiResponse("400", new ApiResponse().description("a request that cannot be read"))
                        .addApiResponse("403", new ApiResponse().description("bad signature or token"))
                        .addApiResponse("413", new ApiResponse().description("a body over the provider's size limit"))));
    }
}
