package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.console.Browser;
import com.retentionhub.support.HubIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Hawtio in a real browser, as the ops user sees it: it finishes loading (the CSRF token it read
 * first stays valid), and the Camel plugin lists every route of {@code routes/} with its counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HawtioBrowserTest extends HubIntegrationTest {

    private Browser browser;

    @BeforeAll
    void logIn() {
        browser = new Browser(port);
        browser.driver.get("http://ops:ops-secret@localhost:" + port + "/actuator/hawtio/");
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void shouldListEveryRouteWithItsExchangeCountsWhenTheOpsUserOpensTheCamelPlugin() throws Exception {
        twilio.text(newPhone(), "Hi, is the spring treatment still on?");
        browser.open("/actuator/hawtio/camel");
        try {
            // Hawtio loads its plugins and the JMX tree through Jolokia POSTs: the tree appears only once they succeed.
            WebElement routesNode = new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(90))
                    .until(d -> d.findElements(By.xpath("//*[contains(@class,'tree-view__node-text') and normalize-space(text())='routes']"))
                            .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
            browser.screenshot("hawtio-tree");
            routesNode.click();
            String[] ids = yamlRouteIds();
            String table = new org.openqa.selenium.support.ui.WebDriverWait(browser.driver, java.time.Duration.ofSeconds(60))
                    .until(d -> {
                        List<WebElement> found = d.findElements(By.id("camel-routes-table"));
                        String text = found.isEmpty() ? "" : found.get(0).getText();
                        return java.util.Arrays.stream(ids).allMatch(text::contains) ? text : null;
                    });
            browser.screenshot("hawtio-camel-routes");
            // Each route's row carries its counts: the text sent above went through the Twilio intake route.
            assertThat(table).contains("Completed", "Failed", "Total");
        } catch (RuntimeException | AssertionError e) {
            browser.screenshot("hawtio-last");
            throw new AssertionError("Hawtio's requests:\n" + browser.script(
                    "return performance.getEntriesByType('resource').map(e => e.responseStatus + ' ' + e.name).join('\\n')"
                    + " + '\\ncookies: ' + document.cookie"), e);
        }
    }

    /** Every route file's id: the file name without {@code .camel.yaml}. */
    private static String[] yamlRouteIds() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> n.substring(0, n.length() - ".camel.yaml".length())).sorted().toArray(String[]::new);
        }
    }
}
