package com.retentionhub.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.platform.Variables;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The branches of the inbound hand-off, as the YAML in {@code routes/} wires them, with the beans
 * stood in and the bus replaced by advice: a bus that refuses still answers TwiML and leaves the
 * sweep's pass alive; a duplicate text is answered and not handed over.
 */
class BusHandOverRoutesTest {

    /** What the webhook's bean leaves on the exchange: the stored event (keyed by phone) and the answer. */
    public record StoredEvent(String phone) {}

    /** Stands in for {@code twilioSmsIngress}: stores nothing, says whether the text was new. */
    public static class Ingress {
        volatile boolean created = true;

        public void accept(Exchange exchange) {
            exchange.setVariable(Variables.TWIML, "<Response/>");
            exchange.setVariable(Variables.CREATED, created);
            exchange.getMessage().setBody(new StoredEvent("+14155550100"));
        }
    }

    /** Stands in for {@code recoverySweep}: two stored events never processed. */
    public static class Sweep {
        public List<StoredEvent> pending() {
            return List.of(new StoredEvent("+14155550101"), new StoredEvent("+14155550102"));
        }
    }

    CamelContext camel;
    Ingress ingress = new Ingress();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MockEndpoint bus;

    @BeforeEach
    void routesFromTheYaml() throws Exception {
        camel = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("hub.bus.inbound", "mock:bus");
        properties.setProperty("hub.recovery.interval-seconds", "3600");
        camel.getPropertiesComponent().setInitialProperties(properties);
        camel.getRegistry().bind("twilioSmsIngress", ingress);
        camel.getRegistry().bind("recoverySweep", new Sweep());
        camel.getRegistry().bind("busHandOffs", new BusHandOffs(meters));
        camel.addRoutesConfigurations(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("webhook-inbound"); // its error answers are RouteConfigurations' concern, not these branches'
            }
        });
        for (String route : List.of("ingress-twilio-sms", "ingress-recovery-sweep", "ingress-bus-hand-over")) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:routes/" + route + ".camel.yaml"));
        }
        bus = camel.getEndpoint("mock:bus", MockEndpoint.class);
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void shouldAnswerTwimlAndCountTheRefusalWhenTheBusCannotTakeTheText() throws Exception {
        refuseOnTheBus();
        camel.start();

        Exchange answer = camel.createProducerTemplate().request("direct:ingress-twilio-sms", e -> e.getMessage().setBody("Body=hi"));

        assertThat(answer.getException()).isNull();
        assertThat(answer.getMessage().getBody(String.class)).isEqualTo("<Response/>");
        assertThat(answer.getMessage().getHeader("Content-Type")).isEqualTo("text/xml; charset=utf-8");
        assertThat(answer.getMessage().getHeaders()).doesNotContainKey("kafka.KEY");
        assertThat(meters.counter("hub.bus.handoff.failures").count()).isEqualTo(1);
    }

    @Test
    void shouldHandANewTextToTheBusKeyedByPhoneAndADuplicateNot() throws Exception {
        camel.start();
        bus.expectedMessageCount(1);
        bus.expectedHeaderReceived("kafka.KEY", "+14155550100");

        var template = camel.createProducerTemplate();
        assertThat(template.request("direct:ingress-twilio-sms", e -> e.getMessage().setBody("Body=hi")).getMessage().getBody(String.class))
                .isEqualTo("<Response/>");
        ingress.created = false; // Twilio's retry of the same MessageSid: answered, stored once, handed over once
        Exchange retry = template.request("direct:ingress-twilio-sms", e -> e.getMessage().setBody("Body=hi"));

        assertThat(retry.getMessage().getBody(String.class)).isEqualTo("<Response/>");
        bus.assertIsSatisfied();
        assertThat(meters.counter("hub.bus.handoff.failures").count()).isZero();
    }

    @Test
    void shouldKeepSweepingWhenTheBusRefusesOneEvent() throws Exception {
        AdviceWith.adviceWith(camel, "ingress-bus-hand-over", a -> a.weaveById("to-inbound-bus").before().process(e -> {
            if (e.getMessage().getBody(StoredEvent.class).phone().endsWith("101")) {
                throw new IllegalStateException("broker away");
            }
        }));
        AdviceWith.adviceWith(camel, "ingress-recovery-sweep", a -> a.replaceFromWith("direct:sweep-now")); // the timer, on demand
        camel.start();
        bus.expectedMessageCount(1);
        bus.expectedHeaderReceived("kafka.KEY", "+14155550102");

        Exchange pass = camel.createProducerTemplate().request("direct:sweep-now", e -> {});

        assertThat(pass.getException()).as("a refused event is not the pass's failure (no dead letter)").isNull();
        bus.assertIsSatisfied();
        assertThat(meters.counter("hub.bus.handoff.failures").count()).isEqualTo(1);
    }

    private void refuseOnTheBus() throws Exception {
        AdviceWith.adviceWith(camel, "ingress-bus-hand-over",
                a -> a.weaveById("to-inbound-bus").replace().throwException(new IllegalStateException("broker away")));
    }
}
