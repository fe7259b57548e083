package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.retentionhub.console.BrowserTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Hawtio in a real browser, as the ops user sees it, on PostgreSQL ({@link HawtioBrowserEmbeddedTest}
 * runs the same on the embedded default): Hawtio's own login form greets the ops user, it finishes loading (the CSRF token it read first stays
 * valid), the Camel plugin lists every route of {@code routes/} with its counts, shows a route's
 * description, draws its diagram, suspends and resumes it, and its statistics move when a text comes in.
 * Element ids and texts are Hawtio 4.3's own (hawtio-next's Camel plugin and shared JMX views).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HawtioBrowserTest extends BrowserTest {

    /** A timer route: its consumer can be suspended (a platform-http or direct one would be stopped instead). */
    private static final String SUSPENDABLE_ROUTE = "analytics-words";
    /** Every inbound text goes through it once. */
    private static final String INTAKE_ROUTE = "ingress-twilio-sms";

    @Autowired
    private CamelContext camel;

    @AfterEach
    void resumeWhatATestLeftSuspended() throws Exception {
        if (camel.getRouteController().getRouteStatus(SUSPENDABLE_ROUTE) != ServiceStatus.Started) {
            camel.getRouteController().resumeRoute(SUSPENDABLE_ROUTE);
        }
    }

    @Test
    @Order(0)
    void shouldGreetTheOpsUserWithHawtiosOwnLoginFormAndOpenTheCamelPluginAfterIt(TestInfo test) {
        inHawtio(test, () -> {
            browser.open("/actuator/hawtio/");
            // Hawtio's form, not the browser's Basic prompt (which would block the page) nor a JSON 401.
            WebElement user = waitFor(Duration.ofSeconds(90), d -> d.findElements(By.id("pf-login-username-id")).stream()
                    .filter(WebElement::isDisplayed).findFirst().orElse(null));
            browser.screenshot(screenshotPrefix() + "login");
            user.sendKeys("ops");
            browser.driver.findElement(By.id("pf-login-password-id")).sendKeys("ops-secret");
            browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
            waitFor(Duration.ofSeconds(60), d -> d.findElements(By.xpath("//a[normalize-space()='Camel']")).stream()
                    .filter(WebElement::isDisplayed).findFirst().orElse(null)).click();
            treeNode("routes", Duration.ofSeconds(90));
            browser.screenshot(screenshotPrefix() + "after-login");
            return null;
        });
    }

    @Test
    @Order(1)
    void shouldListEveryRouteWithItsExchangeCountsWhenTheOpsUserOpensTheCamelPlugin(TestInfo test) {
        twilio.text(newPhone(), "Hi, is the spring treatment still on?");
        String[] ids = yamlRouteIds();
        String table = inHawtio(test, () -> {
            openRoutesFolder();
            return waitFor(Duration.ofSeconds(60), d -> {
                String text = textOf(d, By.id("camel-routes-table"));
                return Arrays.stream(ids).allMatch(text::contains) ? text : null;
            });
        });
        browser.screenshot(screenshotPrefix() + "camel-routes");
        // Each route's row carries its counts: the text sent above went through the Twilio intake route.
        assertThat(table).contains("Completed", "Failed", "Total");
    }

    @Test
    @Order(2)
    void shouldShowARoutesDescriptionAndDrawItsDiagramWhenTheOpsUserOpensTheRoute(TestInfo test) {
        String description = yamlDescription(INTAKE_ROUTE);
        inHawtio(test, () -> {
            openRoute(INTAKE_ROUTE);
            openTab("Attributes");
            // ManagedRoute's Description attribute: the route file's description.
            waitFor(Duration.ofSeconds(30), d -> textOf(d, By.tagName("main")).contains(description) ? true : null);
            browser.screenshot(screenshotPrefix() + "route-attributes");
            openTab("Route Diagram");
            // The diagram is a React Flow graph: one node per step, each with its label.
            List<String> labels = waitFor(Duration.ofSeconds(30), d -> {
                List<String> found = d.findElements(By.cssSelector(".react-flow__node .camel-node-label")).stream()
                        .filter(WebElement::isDisplayed).map(WebElement::getText).toList();
                // React Flow shows a node before its label is drawn: wait for the labels too.
                return found.size() >= 3 && found.stream().noneMatch(String::isBlank) ? found : null;
            });
            browser.screenshot(screenshotPrefix() + "route-diagram");
            assertThat(labels).allSatisfy(label -> assertThat(label).isNotBlank());
            return null;
        });
    }

    @Test
    @Order(3)
    void shouldSuspendAndResumeARouteWhenTheOpsUserInvokesItsOperations(TestInfo test) {
        assertThat(camel.getRouteController().getRouteStatus(SUSPENDABLE_ROUTE)).isEqualTo(ServiceStatus.Started);
        inHawtio(test, () -> {
            openRoute(SUSPENDABLE_ROUTE);
            openTab("Operations");
            execute("suspend()");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> camel.getRouteController().getRouteStatus(SUSPENDABLE_ROUTE) == ServiceStatus.Suspended);
            browser.screenshot(screenshotPrefix() + "route-suspended");
            execute("resume()");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> camel.getRouteController().getRouteStatus(SUSPENDABLE_ROUTE) == ServiceStatus.Started);
            return null;
        });
    }

    @Test
    @Order(4)
    void shouldCountATextInTheIntakeRoutesStatisticsWhenOneArrives(TestInfo test) {
        By total = By.xpath("//table[@aria-label='Attributes']//tr[td[1][normalize-space()='ExchangesTotal']]/td[2]");
        inHawtio(test, () -> {
            openRoute(INTAKE_ROUTE);
            openTab("Attributes");
            long before = waitFor(Duration.ofSeconds(60), d -> number(textOf(d, total)));
            twilio.text(newPhone(), "Do you treat for termites?");
            // The Attributes tab reads the route's MBean again on Hawtio's Jolokia schedule.
            long after = waitFor(Duration.ofSeconds(60), d -> {
                Long now = number(textOf(d, total));
                return now != null && now > before ? now : null;
            });
            browser.screenshot(screenshotPrefix() + "route-statistics");
            assertThat(after).isGreaterThan(before);
            return null;
        });
    }

    /** Runs a step in Hawtio; on failure keeps a screenshot and the requests Hawtio made, which say why far better than a timeout. */
    private <T> T inHawtio(TestInfo test, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException | AssertionError e) {
            browser.screenshot(screenshotPrefix() + test.getTestMethod().map(Method::getName).orElse("failed"));
            throw new AssertionError("Hawtio's requests:\n" + browser.script(
                    "return performance.getEntriesByType('resource').map(e => e.responseStatus + ' ' + e.name).slice(-40).join('\\n')"
                            + " + '\\ncookies: ' + document.cookie"),
                    e);
        }
    }

    /** Screenshots of the embedded run do not overwrite PostgreSQL's. */
    String screenshotPrefix() {
        return "hawtio-";
    }

    /** The Camel plugin with the context's routes folder selected: the routes table. */
    private void openRoutesFolder() {
        browser.open("/actuator/hawtio/camel");
        // Hawtio loads its plugins and the JMX tree through Jolokia POSTs: the tree appears only once they succeed.
        treeNode("routes", Duration.ofSeconds(90)).click();
    }

    /**
     * The Camel plugin with one route of this test's context selected (found through the tree's search
     * box). Other test contexts may live in the same JVM under the same name; the header's object name
     * tells them apart by their management name.
     */
    private void openRoute(String routeId) {
        browser.open("/actuator/hawtio/camel");
        treeNode("routes", Duration.ofSeconds(90));
        WebElement search = browser.find("#input-search");
        search.clear();
        search.sendKeys(routeId);
        String ours = "context=" + camel.getManagementName() + ",";
        waitFor(Duration.ofSeconds(60), d -> {
            for (WebElement node : treeNodes(routeId)) {
                node.click();
                String header = new WebDriverWait(d, Duration.ofSeconds(10)).until(x -> {
                    String text = textOf(x, By.id("camel-content-header"));
                    return text.contains("name=\"" + routeId + "\"") ? text : null;
                });
                if (header.contains(ours)) {
                    return true;
                }
            }
            return null;
        });
    }

    private List<WebElement> treeNodes(String text) {
        return browser.driver.findElements(By.xpath(
                "//*[@id='camel-tree-view']//*[contains(@class,'tree-view__node-text') and normalize-space(text())='" + text + "']"))
                .stream().filter(WebElement::isDisplayed).toList();
    }

    private WebElement treeNode(String text, Duration wait) {
        return waitFor(wait, d -> d.findElements(By.xpath(
                "//*[@id='camel-tree-view']//*[contains(@class,'tree-view__node-text') and normalize-space(text())='" + text + "']"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** One of the Camel plugin's tabs (its tertiary navigation). */
    private void openTab(String title) {
        waitFor(Duration.ofSeconds(30),
                d -> d.findElements(By.xpath("//nav[@aria-label='Camel Nav']//a[normalize-space()='" + title + "']"))
                        .stream().filter(WebElement::isDisplayed).findFirst().orElse(null))
                .click();
    }

    /** Opens a JMX operation of the selected MBean in the Operations tab and presses its Execute button. */
    private void execute(String operation) {
        WebElement item = waitFor(Duration.ofSeconds(30), d -> d.findElements(By.xpath(
                "//*[@id='jmx-operation-list']//li[@aria-labelledby='operation " + operation + "']")).stream().findFirst().orElse(null));
        WebElement execute = item
                .findElements(By.xpath(".//*[@id='operation-execute-" + operation + "']//button[normalize-space()='Execute']"))
                .stream().filter(WebElement::isDisplayed).findFirst().orElse(null);
        if (execute == null) {
            item.findElement(By.cssSelector("button[aria-controls]")).click(); // the item's expand toggle
        }
        waitFor(Duration.ofSeconds(10), d -> item.findElements(By.xpath(
                ".//*[@id='operation-execute-" + operation + "']//button[normalize-space()='Execute']"))
                .stream().filter(b -> b.isDisplayed() && b.isEnabled()).findFirst().orElse(null)).click();
    }

    private <T> T waitFor(Duration timeout, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser.driver, timeout).until(condition::apply);
    }

    private static String textOf(WebDriver driver, By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static Long number(String text) {
        String digits = text.trim();
        return digits.matches("\\d+") ? Long.valueOf(digits) : null;
    }

    /** Every route file's id: the file name without {@code .camel.yaml}. */
    private static String[] yamlRouteIds() {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".camel.yaml"))
                    .map(n -> n.substring(0, n.length() - ".camel.yaml".length())).sorted().toArray(String[]::new);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one-line description a route file gives its route. */
    private static String yamlDescription(String routeId) {
        try {
            return Files.readAllLines(Path.of("routes", routeId + ".camel.yaml")).stream().map(String::trim)
                    .filter(l -> l.startsWith("description:")).findFirst().orElseThrow()
                    .substring("description:".length()).trim().replaceAll("^\"|\"$", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
