package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.support.HubIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The console's door: every page wants a session, logins lock after repeated failures, and no change goes through without the CSRF token. */
class ConsoleSecurityTest extends HubIntegrationTest {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void shouldSendEveryConsolePageAndActionToLoginWithoutASession() {
        List<String> gets = paths(RequestMethod.GET);
        List<String> posts = paths(RequestMethod.POST);
        assertThat(gets).contains("/console/conversations", "/console/reach-out", "/console/warm-leads", "/console/sequences",
                "/console/learning",
                "/console/consent");
        ConsoleSession anonymous = new ConsoleSession(port);

        for (String path : gets) {
            HttpResponse<String> page = anonymous.get(path);
            assertThat(page.statusCode()).as(path).isEqualTo(302);
            assertThat(page.headers().firstValue("Location").orElseThrow()).as(path).endsWith("/login");
        }
        for (String path : posts) {
            // With no session there is no token either: refused before anything runs.
            assertThat(anonymous.post(path, Map.of()).statusCode()).as(path).isIn(302, 403);
        }
    }

    @Test
    void shouldRefuseAStateChangeWithoutTheCsrfTokenAndAcceptItWithTheToken() {
        String phone = newPhone();
        twilio.text(phone, "Hi, is the spring treatment still on?");
        long id = await().atMost(Duration.ofSeconds(10)).until(() -> staff.conversation(phone), c -> c != null).get("id").asLong();
        ConsoleSession session = new ConsoleSession(port);
        assertThat(session.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD).headers().firstValue("Location").orElseThrow())
                .endsWith("/console");
        String page = session.get("/console/conversations/" + id).body();

        HttpResponse<String> forged = session.post("/console/conversations/" + id + "/state", Map.of("state", "interested"));
        String stateAfterForgery = staff.conversation(phone).get("state").asText();
        HttpResponse<String> real = session.post("/console/conversations/" + id + "/state", Map.of("state", "interested",
                "_csrf", ConsoleSession.csrf(page)));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(stateAfterForgery).isEqualTo("start");
        assertThat(real.statusCode()).isEqualTo(302);
        assertThat(staff.conversation(phone).get("state").asText()).isEqualTo("interested");
        assertThat(staff.conversation(phone).get("stateChanges").findValuesAsText("actor")).contains(ConsoleSession.USER);
    }

    @Test
    void shouldMakeAGuessingAddressWaitWhileTheAdminLogsInFromAnotherWhenPasswordsKeepFailing() {
        ConsoleSession guesser = ConsoleSession.viaProxy(port, "203.0.113.66");
        for (int i = 0; i < 6; i++) {
            assertThat(location(guesser.logIn(ConsoleSession.USER, "guess-" + i))).as("guess %d", i).endsWith("/login?error");
        }

        String rightFromGuesser = location(guesser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD));
        String rightFromAdmin = location(
                ConsoleSession.viaProxy(port, "198.51.100.20").logIn(ConsoleSession.USER, ConsoleSession.PASSWORD));
        clock.advance(Duration.ofMinutes(1)); // the test profile's first wait
        String rightAfterTheWait = location(guesser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD));

        assertThat(rightFromGuesser).as("while it waits, not even the right password is checked").endsWith("/login?locked");
        assertThat(rightFromAdmin).as("no one else is locked out").endsWith("/console");
        assertThat(rightAfterTheWait).as("a wait, not a lock").endsWith("/console");
    }

    @Test
    void shouldAnswerAPlainFailedLoginOrA413WhenTheUserNameIsTooLong() {
        ConsoleSession session = ConsoleSession.viaProxy(port, "203.0.113.67");

        HttpResponse<String> long257 = session.logIn("x".repeat(257), "whatever");
        HttpResponse<String> huge = session.logIn("x".repeat(1_500_000), "whatever");

        assertThat(location(long257)).endsWith("/login?error");
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(huge.body()).isEqualTo("login form too large");
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError(response.statusCode() + " " + response.body()));
    }

    @Test
    void shouldAnswerAMissingOrMalformedThingWithAConsolePageThatSaysWhy() {
        ConsoleSession session = new ConsoleSession(port);
        session.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);

        HttpResponse<String> missing = session.get("/console/conversations/999999999");
        HttpResponse<String> malformed = session.get("/console/conversations/not-a-number");
        HttpResponse<String> badRange = session.get("/console/export?from=yesterday&to=today");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(missing.body()).contains("no conversation 999999999").contains("Back to conversations");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("id is not valid");
        assertThat(badRange.statusCode()).isEqualTo(400);
        assertThat(badRange.body()).doesNotContain("Exception").contains("class=\"error\"");
    }

    @Test
    void shouldEndTheSessionOnLogout() {
        ConsoleSession session = new ConsoleSession(port);
        session.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
        String page = session.get("/console/conversations").body();
        assertThat(page).contains("Conversations");

        HttpResponse<String> out = session.post("/logout", Map.of("_csrf", ConsoleSession.csrf(page)));

        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/login?logout");
        assertThat(session.get("/console/conversations").statusCode()).isEqualTo(302);
    }

    @Test
    void shouldNotLetAnApiKeyOrTheOpsUserIntoTheConsole() {
        HttpClient http = HttpClient.newHttpClient();
        for (HttpRequest request : List.of(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console/conversations"))
                        .header("X-API-Key", "test-key-1").build(),
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/console/conversations"))
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret".getBytes())).build())) {
            assertThat(send(http, request)).isEqualTo(302);
        }
    }

    private static int send(HttpClient http, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every console path mapped for a method, with path variables filled with an id. */
    private List<String> paths(RequestMethod method) {
        return mappings.getHandlerMethods().keySet().stream()
                .filter(info -> info.getMethodsCondition().getMethods().contains(method))
                .flatMap(info -> info.getPatternValues().stream())
                .filter(p -> p.startsWith("/console"))
                .map(p -> p.replaceAll("\\{[^}]+}", "1"))
                .sorted().toList();
    }
}
