package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.support.HubProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** What a newcomer types before the hub runs: the start command from the wrong folder, the console's password hash, another port. */
class StartupCommandsTest {

    @Test
    void shouldSayInOneLineWhatToDoWhenStartedFromTheWrongFolder(@TempDir Path elsewhere) throws Exception {
        Run run = java(elsewhere, null, "com.retentionhub.RetentionHubApplication");

        assertThat(run.exit).isEqualTo(2);
        assertThat(run.lines()).hasSize(1);
        assertThat(run.lines().get(0)).contains("config/business.yaml not found")
                .contains("start from the repository root or set HUB_HOME");
    }

    @Test
    void shouldPrintOnlyTheHashWhenMakingTheConsolePassword(@TempDir Path dir) throws Exception {
        Run run = java(dir, "correct horse battery staple\n", "com.retentionhub.console.PasswordHash");

        assertThat(run.exit).isZero();
        assertThat(run.stdout.lines().toList()).hasSize(1); // so HUB_ADMIN_PASSWORD_HASH=$(...) captures the hash alone
        String hash = run.stdout.trim();
        assertThat(hash).matches("\\$2[aby]\\$12\\$.{53}");
        assertThat(new BCryptPasswordEncoder().matches("correct horse battery staple", hash)).isTrue();
    }

    @Test
    void shouldWriteTheHashToTheFirstRunFileTheRunningHubReads(@TempDir Path dir) throws Exception {
        Run run = java(dir, "correct horse battery staple\n", "com.retentionhub.console.PasswordHash", "data/admin-password.hash");

        assertThat(run.exit).as(run.stderr).isZero();
        assertThat(run.stdout).isEmpty();
        String hash = Files.readString(dir.resolve("data/admin-password.hash")).trim();
        assertThat(new BCryptPasswordEncoder().matches("correct horse battery staple", hash)).isTrue();
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/admin-password.hash")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void shouldCheckSignaturesAgainstTheChosenPortWhenNoPublicUrlIsSet() throws IOException {
        assertThat(publicBaseUrl(Map.of("PORT", "9123"))).isEqualTo("http://localhost:9123");
        assertThat(publicBaseUrl(Map.of())).isEqualTo("http://localhost:8080");
        assertThat(publicBaseUrl(Map.of("PORT", "9123", "PUBLIC_BASE_URL", "https://sms.example.com")))
                .isEqualTo("https://sms.example.com");
    }

    /** hub.public-base-url as the shipped application.yaml resolves it in the given environment. */
    private static String publicBaseUrl(Map<String, Object> env) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("env", env));
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return environment.getProperty("hub.public-base-url");
    }

    private record Run(int exit, String stdout, String stderr) {
        List<String> lines() {
            return (stdout + stderr).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private static Run java(Path dir, String input, String mainClass, String... args) throws Exception {
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp", HubProcess.mainClasspath(), mainClass);
        builder.command().addAll(List.of(args));
        builder.directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("HUB_HOME");
        builder.environment().remove("HUB_BUSINESS_FILE");
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(mainClass + " did not exit within 90 s");
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
