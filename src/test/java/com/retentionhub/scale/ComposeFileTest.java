package com.retentionhub.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The production compose file against what the "Production" section of docs/operations.md says of it, and
 * against the rules a deployment must keep: health checks everywhere, the hubs on the shared
 * database and broker behind one proxy, and no secret written into the file.
 */
class ComposeFileTest {

    private static final Pattern SECRET_NAME = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|_KEY|_KEYS|HASH).*");

    private final Map<String, Object> compose = load();
    private final String production = productionSection();

    @Test
    void shouldRunTheDocumentedTopologyWithAHealthCheckOnEveryService() {
        Map<String, Object> services = map(compose.get("services"));

        assertThat(services).containsOnlyKeys("postgres", "kafka", "hub-1", "hub-2", "proxy");
        services.forEach((name, service) -> {
            assertThat(map(service)).as(name + " has a health check").containsKey("healthcheck");
            assertThat(production).as("docs/operations.md describes service " + name).contains("`" + name + "`");
        });
        map(compose.get("volumes")).keySet()
                .forEach(v -> assertThat(production).as("docs/operations.md describes volume " + v).contains("`" + v + "`"));
        assertThat(String.valueOf(map(services.get("kafka")).get("environment"))).contains("KAFKA_PROCESS_ROLES=broker,controller");
    }

    @Test
    void shouldPutBothHubsOnTheSharedDatabaseAndBrokerBehindOneProxyAndPublicUrl() throws IOException {
        Map<String, Object> services = map(compose.get("services"));
        for (String hub : new String[] {"hub-1", "hub-2"}) {
            Map<String, Object> env = map(map(services.get(hub)).get("environment"));
            assertThat(env.get("SPRING_PROFILES_ACTIVE")).isEqualTo("postgres,kafka");
            assertThat(String.valueOf(env.get("DATABASE_URL"))).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
            assertThat(String.valueOf(env.get("PUBLIC_BASE_URL"))).as("one public URL, so signatures hold at either hub")
                    .contains("${PUBLIC_HOST");
            assertThat(map(services.get(hub))).as(hub + " is reached through the proxy only").doesNotContainKey("ports");
            assertThat(env).as("forwarded headers are honoured from the compose network only").containsKey("HUB_TRUSTED_PROXIES")
                    .doesNotContainKey("SERVER_FORWARD_HEADERS_STRATEGY");
            assertThat(map(map(services.get(hub)).get("depends_on"))).containsKeys("postgres", "kafka");
        }
        Map<String, Object> proxy = map(services.get("proxy"));
        assertThat(map(proxy.get("depends_on"))).containsKeys("hub-1", "hub-2");
        String caddyfile = Files.readString(Path.of("proxy/Caddyfile"));
        assertThat(caddyfile).contains("reverse_proxy hub-1:8080 hub-2:8080").contains("health_uri /actuator/health/readiness");
    }

    @Test
    void shouldTakeEverySecretFromTheEnvironmentAndDocumentEveryVariable() throws IOException {
        map(compose.get("services")).forEach((name, service) -> {
            Object environment = map(service).get("environment");
            if (environment != null) {
                map(environment).forEach((key, value) -> {
                    // A secret is a reference to the environment, with no default but an empty one.
                    if (SECRET_NAME.matcher(key).matches()) {
                        assertThat(String.valueOf(value)).as(name + "'s " + key + " comes from the environment")
                                .matches("\\$\\{[A-Z0-9_]+(:\\?[^}]*|:-)?}");
                    }
                });
            }
        });
        Set<String> variables = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(Files.readString(Path.of("docker-compose.yml")));
        while (m.find()) {
            variables.add(m.group(1));
        }
        assertThat(variables).contains("DATABASE_PASSWORD", "TWILIO_AUTH_TOKEN", "PUBLIC_HOST");
        variables.forEach(v -> assertThat(production).as("docs/operations.md's production section explains " + v).contains("`" + v + "`"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return (Map<String, Object>) node;
    }

    private static Map<String, Object> load() {
        try {
            return new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String productionSection() {
        try {
            String readme = Files.readString(Path.of("docs/operations.md"));
            int start = readme.indexOf("\n## Production\n");
            assertThat(start).as("docs/operations.md has a Production section").isNotNegative();
            int end = readme.indexOf("\n## ", start + 1);
            return readme.substring(start, end < 0 ? readme.length() : end);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
