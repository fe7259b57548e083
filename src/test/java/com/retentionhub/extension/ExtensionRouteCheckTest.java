package com.retentionhub.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.camel.component.stub.StubComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An extension file with a mistake is refused before Camel loads it, with the file, the line and
 * the reason in one message; the shipped examples pass the same check.
 */
class ExtensionRouteCheckTest {

    @TempDir
    Path routes;

    private DefaultCamelContext camel;
    private ExtensionRouteCheck check;

    @BeforeEach
    void camel() {
        camel = new DefaultCamelContext();
        check = new ExtensionRouteCheck(camel, List.of(Path.of("connectors")));
    }

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    private Path file(String name, String yaml) throws Exception {
        return Files.writeString(routes.resolve(name), yaml);
    }

    @Test
    void shouldRefuseAFileThatDoesNotParseWithItsFileLineAndReason() throws Exception {
        Path bad = file("ext-broken.camel.yaml", """
                - route:
                    id: ext-broken
                    from:
                      uri: "timer:tick
                      steps: []
                """);
        assertThatThrownBy(() -> check.require(List.of(bad), Set.of())).isInstanceOf(ExtensionRouteCheck.InvalidExtensionRoute.class)
                .hasMessageContaining(bad.toString() + " line ").hasMessageContaining("does not parse as YAML");
    }

    @Test
    void shouldRefuseAnUnknownEndpointWithTheLineItIsOn() throws Exception {
        Path bad = file("ext-unknown.camel.yaml", """
                - route:
                    id: ext-unknown
                    from:
                      uri: timer:tick
                      steps:
                        - to:
                            uri: nosuchthing:somewhere
                """);
        assertThat(check.problems(List.of(bad), Set.of()))
                .containsExactly(bad + " line 7: unknown endpoint 'nosuchthing:somewhere': the hub has no component 'nosuchthing'");
    }

    @Test
    void shouldRefuseAnUnknownHubEndpointOrEventType() throws Exception {
        camel.getRegistry().bind("hub", new StubComponent());
        Path bad = file("ext-hub.camel.yaml", """
                - route:
                    id: ext-hub
                    from:
                      uri: hub:events
                      parameters:
                        types: lead.converted,lead.convertd
                      steps:
                        - to: hub:lead
                """);
        assertThat(check.problems(List.of(bad), Set.of())).satisfiesExactly(
                p -> assertThat(p)
                        .startsWith(bad + " line 4: unknown endpoint 'hub:events?types=lead.converted,lead.convertd': hub:events: "
                                + "unknown event type 'lead.convertd'"),
                p -> assertThat(p)
                        .startsWith(bad + " line 8: unknown endpoint 'hub:lead': hub:lead is not a hub endpoint; known: hub:leads"));
    }

    @Test
    void shouldRefuseAnUnknownKameletAndFindTheCatalogsAndTheHubsOwn() throws Exception {
        Path bad = file("ext-kamelets.camel.yaml", """
                - route:
                    id: ext-kamelets
                    from:
                      uri: timer:tick
                      steps:
                        - to: kamelet:http-sink/ext-a?url=http://localhost:1
                        - to: kamelet:twilio-sms-sink/ext-b
                        - to: kamelet:no-such-sink/ext-c
                """);
        assertThat(check.problems(List.of(bad), Set.of())).containsExactly(
                bad + " line 8: unknown Kamelet 'no-such-sink': neither connectors/no-such-sink.kamelet.yaml nor in the Kamelet catalog");
    }

    @Test
    void shouldRefuseARouteIdThatClashesWithTheHubsOrLacksThePrefix() throws Exception {
        Path clash = file("ext-clash.camel.yaml", """
                - route:
                    id: dispatch-sms
                    from:
                      uri: timer:tick
                      steps:
                        - log: tick
                """);
        Path unprefixed = file("ext-unprefixed.camel.yaml", """
                - route:
                    id: my-route
                    from:
                      uri: timer:tick
                      steps:
                        - log: tick
                """);
        assertThat(check.problems(List.of(clash, unprefixed), Set.of("dispatch-sms"))).containsExactly(
                clash + " line 2: route id 'dispatch-sms' clashes with a hub route",
                unprefixed + " line 2: route id 'my-route' must start with ext- so it never clashes with a hub route");
    }

    @Test
    void shouldRefuseAnEndpointThatReachesTheDatabase() throws Exception {
        Path bad = file("ext-sql.camel.yaml", """
                - route:
                    id: ext-sql
                    from:
                      uri: timer:tick
                      steps:
                        - to: sql:DELETE FROM outbox
                """);
        assertThat(check.problems(List.of(bad), Set.of())).singleElement().asString().contains("line 6").contains("reaches the database");
    }

    @Test
    void shouldPassTheShippedExamples() throws Exception {
        // The hub's own endpoint and beans are resolved by name in the running hub; here, by their component.
        camel.getRegistry().bind("hub", new StubComponent());
        camel.getPropertiesComponent().addInitialProperty("hub.examples.crm-sync.url", "http://localhost:1/crm");
        camel.getPropertiesComponent().addInitialProperty("hub.examples.slack-escalations.channel", "#x");
        camel.getPropertiesComponent().addInitialProperty("hub.examples.slack-escalations.webhook-url", "http://localhost:1/slack");
        camel.getPropertiesComponent().addInitialProperty("hub.examples.form-leads.enabled", "false");
        camel.getPropertiesComponent().addInitialProperty("hub.examples.crm-sync.enabled", "false");
        camel.getPropertiesComponent().addInitialProperty("hub.examples.slack-escalations.enabled", "false");
        List<Path> examples;
        try (var list = Files.list(Path.of("examples"))) {
            examples = list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertThat(examples).hasSize(3);
        Set<String> hubIds = new HashSet<>();
        try (var list = Files.list(Path.of("routes"))) {
            list.filter(p -> p.getFileName().toString().endsWith(".camel.yaml"))
                    .forEach(p -> hubIds.addAll(ExtensionRouteCheck.routeIds(p)));
        }
        assertThat(hubIds).contains("dispatch-sms").noneMatch(id -> id.startsWith(ExtensionRouteCheck.PREFIX));
        assertThat(check.problems(examples, hubIds)).isEmpty();
    }
}
