package com.retentionhub.support;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A hub in a JVM of its own, started from the build's classes and dependencies (not the test
 * classes: it runs on its own configuration, as a deployed instance would), so a test can run
 * several instances side by side and kill one with SIGKILL.
 */
public final class HubProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HubProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * @param env the instance's environment (profiles, database, providers), on top of this JVM's
     * @param args Spring arguments, e.g. {@code --hub.recovery.grace-seconds=5}
     */
    public static HubProcess start(String name, int port, Map<String, String> env, List<String> args, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx640m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", mainClasspath(), "com.retentionhub.RetentionHubApplication",
                "--server.port=" + port, "--logging.level.root=WARN"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new HubProcess(name, port, log, builder.start());
    }

    /** The build's classpath without the test classes (Surefire passes the full one in a property). */
    public static String mainClasspath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(full.split(File.pathSeparator)).filter(e -> !e.replace('\\', '/').endsWith("test-classes")
                && !e.replace('\\', '/').endsWith("test-classes/")).collect(Collectors.joining(File.pathSeparator));
    }

    public void awaitReady(Duration within) {
        Awaitility.await(name + " ready (see " + log + ")").atMost(within).pollInterval(Duration.ofMillis(500)).until(this::ready);
    }

    /** Whether readiness answers 200; a process that exited fails the wait at once. */
    private boolean ready() throws InterruptedException {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url("/actuator/health/readiness"))).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /** SIGKILL: no shutdown hook, no graceful drain, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public int port() {
        return port;
    }

    public String name() {
        return name;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
