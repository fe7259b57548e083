package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.console.Browser;
import com.retentionhub.support.HubIntegrationTest;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A page on another origin, opened in the browser of a logged-in ops user, tries every way a page
 * can reach Jolokia (fetch with credentials, a GET exec, a text/plain POST, an image, JSONP): none
 * gets a CORS grant, none changes a route, none reads an answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JolokiaCrossOriginTest extends HubIntegrationTest {

    private static final String ROUTE = "dispatch-poll-due";
    private static final String MBEAN = "org.apache.camel:context=retention-hub,type=routes,name=%22" + ROUTE + "%22";

    @Autowired
    private CamelContext camel;

    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer otherSite;
    private Browser browser;

    @BeforeAll
    void startOtherSite() throws Exception {
        otherSite = HttpServer.create(new InetSocketAddress(0), 0);
        otherSite.createContext("/", exchange -> {
            byte[] page = attackPage().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        otherSite.start();
    }

    @AfterAll
    void stopOtherSite() {
        otherSite.stop(0);
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void resumeRoute() throws Exception {
        if (camel.getRouteController().getRouteStatus(ROUTE) != ServiceStatus.Started) {
            camel.getRouteController().resumeRoute(ROUTE);
        }
    }

    @Test
    void shouldNotLetAPageOnAnotherOriginDriveJolokiaWhenTheOpsUserIsLoggedIn() {
        browser = new Browser(port);
        // The ops user logs in: the browser now holds the Basic credentials for the hub's origin.
        browser.driver.get("http://ops:ops-secret@localhost:" + port + "/actuator/jolokia/version");
        assertThat(browser.driver.getPageSource()).contains("\"status\":200");

        // Another origin on the same host (another port): the same site, so the browser lends it the
        // ops user's Basic credentials; only the hub can refuse it.
        browser.driver.get("http://localhost:" + otherSite.getAddress().getPort() + "/");
        String results = browser.until(ExpectedConditions.textMatches(By.id("out"), Pattern.compile("\\{.+")))
                ? browser.find("#out").getText()
                : "";
        browser.screenshot("jolokia-cross-origin");

        assertThat(results).contains("\"getExec\":\"blocked\"", "\"read\":\"blocked\"", "\"postExec\":\"blocked\"");
        assertThat(results).doesNotContain("\"jsonp\":\"{");
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    @Test
    void shouldGrantCorsToNoOtherOriginAndRefuseItsRequests() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(jolokia("/read/java.lang:type=Runtime/Name")))
                .header("Authorization", ops()).header("Origin", "http://127.0.0.1:1").GET());

        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(answer.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(answer.statusCode()).isEqualTo(403);

        HttpResponse<String> preflight = send(HttpRequest.newBuilder(URI.create(jolokia("")))
                .header("Origin", "http://evil.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void shouldStillAnswerTheHubsOwnOriginAndClientsWithoutOne() throws Exception {
        HttpResponse<String> own = send(HttpRequest.newBuilder(URI.create(jolokia("/read/java.lang:type=Runtime/Name")))
                .header("Authorization", ops()).header("Origin", "http://localhost:" + port).GET());
        HttpResponse<String> curl = send(HttpRequest.newBuilder(URI.create(jolokia("/version"))).header("Authorization", ops()).GET());

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.body()).contains("\"status\":200");
        assertThat(curl.body()).contains("\"status\":200");
    }

    @Test
    void shouldRefuseExecWriteAndJsonpOverGetEvenToTheOpsUser() throws Exception {
        for (String path : new String[] {"/exec/" + MBEAN + "/suspend()", "/EXEC/" + MBEAN + "/suspend()",
                "/?p=/exec/" + MBEAN + "/suspend()",
                "/?p=//exec/" + MBEAN + "/suspend()", "/write/java.lang:type=Memory/Verbose/true",
                "/read/java.lang:type=Runtime/Name?callback=steal"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(jolokia(path))).header("Authorization", ops()).GET());

            assertThat(answer.statusCode()).as(path).isEqualTo(403);
            assertThat(answer.body()).as(path).doesNotContain("\"status\":200");
        }
        // Hawtio's own Jolokia path forwards to the same agent.
        HttpResponse<String> viaHawtio = send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/hawtio/jolokia/exec/" + MBEAN + "/suspend()"))
                        .header("Authorization", ops()).GET());
        assertThat(viaHawtio.statusCode()).isEqualTo(403);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Started);
    }

    private String attackPage() {
        String hub = "http://localhost:" + port + "/actuator/jolokia";
        return """
                <!doctype html><html><body><pre id="out"></pre><script>
                const hub = '%s', mbean = '%s', out = {};
                async function attempt(name, url, init) {
                  try {
                    const r = await fetch(url, Object.assign({credentials: 'include'}, init || {}));
                    out[name] = r.status + ' ' + (await r.text()).slice(0, 200);
                  } catch (e) { out[name] = 'blocked'; }
                }
                async function run() {
                  await attempt('getExec', hub + '/exec/' + mbean + '/suspend()');
                  await attempt('read', hub + '/read/' + mbean + '/EndpointUri');
                  await attempt('postExec', hub, {method: 'POST', headers: {'Content-Type': 'text/plain'},
                      body: JSON.stringify({type: 'exec', mbean: decodeURIComponent(mbean), operation: 'suspend()'})});
                  await new Promise(done => { const i = new Image(); i.onload = i.onerror = done; i.src = hub + '/exec/' + mbean + '/suspend()'; });
                  await new Promise(done => {
                    window.steal = d => { out.jsonp = JSON.stringify(d).slice(0, 200); };
                    const s = document.createElement('script');
                    s.onload = s.onerror = () => { out.jsonp = out.jsonp || 'blocked'; done(); };
                    s.src = hub + '/read/java.lang:type=Runtime/Name?callback=steal';
                    document.body.appendChild(s);
                  });
                  document.getElementById('out').textContent = JSON.stringify(out);
                }
                run();
                </script></body></html>
                """.formatted(hub, MBEAN);
    }

    private String jolokia(String path) {
        return "http://localhost:" + port + "/actuator/jolokia" + path;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String ops() {
        return "Basic " + Base64.getEncoder().encodeToString("ops:ops-secret".getBytes(StandardCharsets.UTF_8));
    }
}
