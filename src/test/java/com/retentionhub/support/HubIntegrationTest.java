package com.retentionhub.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.retentionhub.platform.OutboundToggle;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The running hub on PostgreSQL with a WireMock fake of Twilio's REST API. One Spring context is
 * shared by every subclass; tests keep apart by using phone numbers of their own.
 */
@AutoConfigureObservability
@Import({HubIntegrationTest.CleanDatabase.class, OpenApiConformance.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class HubIntegrationTest {

    /** Lets a test hold Twilio's answers (stubs that opt in with {@link ProviderHold#NAME}) until it releases them. */
    protected static final ProviderHold TWILIO_HOLD = new ProviderHold();
    protected static final WireMockServer TWILIO = new WireMockServer(options().dynamicPort().extensions(TWILIO_HOLD));
    /** Instantly's campaigns: a lead is added to a campaign once; a second add is skipped (what reached the lead is {@code delivered}). */
    protected static final InstantlyCampaigns INSTANTLY_CAMPAIGNS = new InstantlyCampaigns();
    /** Instantly's, VAPI's and Meta Graph's APIs (their paths do not overlap), so every test class shares one context. */
    protected static final WireMockServer EMAIL_AND_VOICE = new WireMockServer(options().dynamicPort().extensions(INSTANTLY_CAMPAIGNS));

    static {
        TWILIO.start();
        EMAIL_AND_VOICE.start();
    }

    @DynamicPropertySource
    static void providerBaseUrls(DynamicPropertyRegistry registry) {
        registry.add("hub.twilio.api-base-url", TWILIO::baseUrl);
        registry.add("INSTANTLY_BASE_URL", EMAIL_AND_VOICE::baseUrl);
        registry.add("VAPI_BASE_URL", EMAIL_AND_VOICE::baseUrl);
        registry.add("META_GRAPH_BASE_URL", () -> EMAIL_AND_VOICE.baseUrl() + "/v21.0"); // Graph paths are /v21.0/<id>: no overlap
    }

    /** Each test run starts from an empty schema, on a clock the tests can set. */
    @TestConfiguration
    public static class CleanDatabase {
        @Bean
        @Primary
        ShiftableClock testClock() {
            return new ShiftableClock();
        }

        @Bean
        FlywayMigrationStrategy cleanMigrate() {
            return flyway -> {
                flyway.clean();
                flyway.migrate();
            };
        }
    }

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected OutboundToggle toggle;

    protected TwilioWebhookClient twilio;
    protected StaffClient staff;

    @BeforeEach
    void clients() {
        OpenApiConformance.drain(); // a test answers only for its own calls
        twilio = new TwilioWebhookClient(port, "https://hub.example.com", "test-auth-token");
        staff = new StaffClient(port, "test-key-1");
        TWILIO.resetAll();
        TwilioFake.acceptMessages(TWILIO);
        EMAIL_AND_VOICE.resetAll();
        InstantlyFake.acceptLeadsOncePerCampaign(EMAIL_AND_VOICE);
        VapiFake.acceptCalls(EMAIL_AND_VOICE);
    }

    @Autowired
    protected ShiftableClock clock;

    @AfterEach
    void offline() {
        TWILIO_HOLD.release();
        toggle.setLive(false);
        clock.setTo(ShiftableClock.WORKING_HOURS);
    }

    /** Every /api call the test made conformed to /api/openapi.json: a known operation, a documented status, JSON as documented. */
    @AfterEach
    void conformedToTheApiDocument() {
        OpenApiConformance.failOnViolations();
    }

    /** A valid US mobile-format number no other test uses. */
    protected static String newPhone() {
        return "+1415" + (2_000_000 + ThreadLocalRandom.current().nextInt(7_999_999));
    }

    protected int count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Integer.class, args);
    }
}
