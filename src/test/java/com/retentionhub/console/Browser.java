package com.retentionhub.console;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven through its own chromedriver: nothing is downloaded at test
 * time. Screenshots of each page go to {@code target/console-screenshots}.
 */
public final class Browser implements AutoCloseable {

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    public final ChromeDriver driver;
    private final String base;

    public Browser(int port) {
        File chromium = executable("CHROMIUM_BIN", "/usr/bin/chromium");
        File chromedriver = executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // Root in CI: chromium's sandbox needs a user namespace it does not get there.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900");
        this.driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).build(), options);
        this.base = "http://localhost:" + port;
    }

    private static File executable(String variable, String fallback) {
        File file = new File(System.getenv().getOrDefault(variable, fallback));
        if (!file.canExecute()) {
            throw new IllegalStateException(file + " is missing: install Debian's chromium and chromium-driver (bash .ci/run does)");
        }
        return file;
    }

    public void open(String path) {
        driver.get(base + path);
    }

    void logIn(String user, String password) {
        open("/login");
        driver.findElement(By.id("username")).sendKeys(user);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("form button[type=submit]")).click();
        until(d -> d.getCurrentUrl().contains("/console/"));
    }

    public WebElement find(String css) {
        return until(d -> {
            var found = d.findElements(By.cssSelector(css));
            return found.isEmpty() ? null : found.get(0);
        });
    }

    public <T> T until(ExpectedCondition<T> condition) {
        // htmx swaps polled elements every second: one found a moment ago may be gone; look again rather than fail.
        // Chromium sometimes reports that race as an inspector error ("Node with given id does not belong to the
        // document") instead of a stale reference; the wait still fails after 20 s with the last cause.
        return new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
                .ignoring(WebDriverException.class).until(condition);
    }

    public Object script(String js) {
        return ((JavascriptExecutor) driver).executeScript(js);
    }

    public void size(Dimension size) {
        driver.manage().window().setSize(size);
    }

    /** True when the page fits the window's width: nothing scrolls sideways but the elements meant to. */
    boolean fitsWidth() {
        return (Boolean) script("return document.documentElement.scrollWidth <= window.innerWidth + 1;");
    }

    public void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver.TargetLocator switchTo() {
        return driver.switchTo();
    }

    @Override
    public void close() {
        driver.quit();
    }
}
