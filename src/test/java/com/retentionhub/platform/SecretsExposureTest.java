package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.retentionhub.support.HubIntegrationTest;
import com.retentionhub.support.StaffClient;
import com.retentionhub.support.TestDatabase;
import com.retentionhub.support.TwilioWebhookClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every configured secret, given a value found nowhere else, appears in no Camel endpoint URI, no
 * MBean attribute or route dump Jolokia serves, no log line of the running hub and no API answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretsExposureTest extends HubIntegrationTest {

    /** Property (as production sets it, mostly from the environment) and a value that cannot occur by chance. */
    private static final Map<String, String> SECRETS = new LinkedHashMap<>();

    static {
        SECRETS.put("hub.twilio.auth-token", "zq7twilioauthsecret41");
        SECRETS.put("OPENAI_API_KEY", "sk-zq7openaisecret42");
        SECRETS.put("SMS_RETAIL_API_KEY", "zq7smsretailsecret43");
        SECRETS.put("TELECOM23_API_KEY", "zq7telecom23secret44");
        SECRETS.put("SMS_RETAIL_DLR_TOKEN", "zq7smsretaildlr45");
        SECRETS.put("TELECOM23_DLR_TOKEN", "zq7telecom23dlr46");
        SECRETS.put("INSTANTLY_API_KEY", "zq7instantlysecret47");
        SECRETS.put("INSTANTLY_WEBHOOK_TOKEN", "zq7instantlyhook48");
        SECRETS.put("VAPI_API_KEY", "zq7vapisecret49");
        SECRETS.put("VAPI_WEBHOOK_SECRET", "zq7vapihook50");
        SECRETS.put("META_ACCESS_TOKEN", "zq7metatoken51");
        SECRETS.put("META_APP_SECRET", "zq7metaappsecret52");
        SECRETS.put("META_VERIFY_TOKEN", "zq7metaverify53");
        SECRETS.put("hub.keitaro.postback-token", "zq7keitarotoken54");
        SECRETS.put("hub.security.ops-password", "zq7opspassword55");
        SECRETS.put("hub.security.api-keys", "zq7apikey56");
        SECRETS.put("spring.datasource.password", "zq7dbpassword57");
    }

    @DynamicPropertySource
    static void secrets(DynamicPropertyRegistry registry) {
        SECRETS.forEach((name, value) -> registry.add(name, () -> value));
        // A context and schema of its own: its secrets differ from the shared test context's.
        registry.add("spring.datasource.url", () -> TestDatabase.url("hub_secrets_test"));
        registry.add("spring.flyway.schemas", () -> "hub_secrets_test");
        registry.add("hub.dispatch.sms-secondary-provider", () -> "sms-retail");
        registry.add("logging.level.org.apache.camel", () -> "INFO");
        registry.add("logging.level.com.retentionhub", () -> "DEBUG");
    }

    @Autowired
    private CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldShowNoSecretInEndpointUrisJolokiaLogsOrApiAnswers(CapturedOutput output) throws Exception {
        exerciseTheHub();

        Map<String, String> places = new LinkedHashMap<>();
        places.put("endpoint URIs", endpointUris());
        places.put("Jolokia", jolokiaEverything());
        places.put("API answers", apiAnswers());
        // Captured since before the context started (this class's settings make a context of its own).
        places.put("log", output.getAll());

        List<String> found = new ArrayList<>();
        places.forEach((place, text) -> SECRETS.forEach((name, secret) -> {
            int at = text.indexOf(secret);
            if (at >= 0) {
                found.add(
                        name + " in " + place + ": ..." + text.substring(Math.max(0, at - 120), Math.min(text.length(), at + 40)) + "...");
            }
        }));
        assertThat(found).isEmpty();
        // and the places searched did hold what they should (so an empty search means something)
        assertThat(places.get("endpoint URIs")).contains("kamelet:http-sms-sink", "kamelet:vapi-call-sink", "kamelet:meta-lead-fetch");
        assertThat(places.get("Jolokia")).contains("dispatch-sms-retail", "EndpointUri");
        assertThat(places.get("log")).contains("Started");
    }

    /** A signed text in, a reply attempt out through the (unreachable) model: the paths that log. */
    private void exerciseTheHub() throws Exception {
        TwilioWebhookClient signed = new TwilioWebhookClient(port, "https://hub.example.com", SECRETS.get("hub.twilio.auth-token"));
        String phone = newPhone();
        signed.post("/sms", TwilioWebhookClient.inbound(TwilioWebhookClient.newSid(), phone, "Hi, is the spring treatment still on?"));
        StaffClient key = new StaffClient(port, SECRETS.get("hub.security.api-keys"));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> key.get("/api/conversations?phone=" + phone.replace("+", "%2B")).statusCode() == 200);
    }

    private String endpointUris() {
        StringBuilder all = new StringBuilder();
        for (Endpoint endpoint : camel.getEndpoints()) {
            all.append(endpoint.getEndpointUri()).append('\n').append(endpoint.getEndpointKey()).append('\n').append(endpoint).append('\n');
        }
        for (Route route : camel.getRoutes()) {
            all.append(route.getEndpoint().getEndpointUri()).append('\n').append(route.getDescription()).append('\n');
        }
        return all.toString();
    }

    /** Every MBean's every attribute, the list of operations, and the route dumps the ops user may run. */
    private String jolokiaEverything() throws Exception {
        StringBuilder all = new StringBuilder();
        JsonNode names = json.readTree(jolokia("{\"type\":\"search\",\"mbean\":\"*:*\"}")).get("value");
        ArrayNode reads = json.createArrayNode();
        for (JsonNode name : names) {
            reads.addObject().put("type", "read").put("mbean", name.asText()).putObject("config").put("ignoreErrors", true)
                    .put("serializeLong", "string");
        }
        all.append(jolokia(reads.toString()));
        all.append(jolokia("{\"type\":\"list\"}"));
        String context = "org.apache.camel:context=retention-hub,type=context,name=\\\"retention-hub\\\"";
        all.append(jolokia(
                "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"dumpRoutesAsXml(boolean)\",\"arguments\":[true]}"));
        all.append(jolokia("{\"type\":\"exec\",\"mbean\":\"" + context
                + "\",\"operation\":\"dumpRoutesAsYaml(boolean,boolean)\",\"arguments\":[true,true]}"));
        for (Iterator<JsonNode> it = names.elements(); it.hasNext();) {
            String name = it.next().asText();
            if (name.contains("type=routes")) {
                String quoted = name.replace("\"", "\\\"");
                all.append(jolokia("{\"type\":\"exec\",\"mbean\":\"" + quoted
                        + "\",\"operation\":\"dumpRouteAsYaml(boolean,boolean)\",\"arguments\":[true,true]}"));
            }
        }
        return all.toString();
    }

    private String apiAnswers() throws Exception {
        StaffClient key = new StaffClient(port, SECRETS.get("hub.security.api-keys"));
        StringBuilder all = new StringBuilder();
        JsonNode paths = json.readTree(key.get("/api/openapi.json").body()).get("paths");
        for (Iterator<String> it = paths.fieldNames(); it.hasNext();) {
            String path = it.next();
            if (paths.get(path).has("get") && !path.contains("{")) {
                all.append(path).append(' ').append(key.get(path).body()).append('\n');
            }
        }
        for (String path : List.of("/api/providers/sms-retail", "/api/providers/vapi", "/actuator/health", "/actuator/info",
                "/actuator/prometheus")) {
            all.append(path).append(' ').append(key.get(path).body()).append('\n');
        }
        return all.toString();
    }

    /** Posts to Jolokia as Hawtio does, with the CSRF token from its cookie. */
    private String jolokia(String body) throws Exception {
        String basic = "Basic "
                + Base64.getEncoder().encodeToString(("ops:" + SECRETS.get("hub.security.ops-password")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/"))
                .header("Authorization", basic).GET().build(), HttpResponse.BodyHandlers.ofString());
        String token = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .map(c -> c.substring("XSRF-TOKEN=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/jolokia"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .header("Cookie", "XSRF-TOKEN=" + token).header("X-XSRF-TOKEN", token)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return answer.body();
    }
}
