package com.retentionhub.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusinessProfileTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    @TempDir
    Path dir;

    @Test
    void shouldLoadTheShippedProfile() {
        BusinessProfile profile = ConfigFiles.load(Path.of("config/business.yaml"), BusinessProfile.class, VALIDATOR);

        assertThat(profile.name()).isNotBlank();
        assertThat(profile.zone().getId()).isEqualTo("America/New_York");
        assertThat(profile.optOutConfirmation()).isEqualTo("Messages Stopped");
    }

    @Test
    void shouldNameTheFileAndFieldWhenAFieldIsInvalid() throws Exception {
        Path file = write("""
                name: Acme
                services: [{name: Spray}]
                hours: {mon: "8-5"}
                timeZone: Mars/Olympus
                helpText: Call us.
                """);

        assertThatThrownBy(() -> ConfigFiles.load(file, BusinessProfile.class, VALIDATOR))
                .isInstanceOf(ConfigFiles.InvalidConfigException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("timeZoneValid")
                .hasMessageContaining("hours");
    }

    @Test
    void shouldNameTheLineWhenTheFileHasAnUnknownField() throws Exception {
        Path file = write("""
                name: Acme
                services: [{name: Spray}]
                hours: {mon: "08:00-17:00"}
                timeZone: America/Chicago
                helpText: Call us.
                colour: blue
                """);

        assertThatThrownBy(() -> ConfigFiles.load(file, BusinessProfile.class, VALIDATOR))
                .hasMessageContaining("line 6")
                .hasMessageContaining("colour");
    }

    @Test
    void shouldDefaultTheOptOutConfirmation() throws Exception {
        Path file = write("""
                name: Acme
                services: [{name: Spray}]
                hours: {mon: "08:00-17:00", sun: closed}
                timeZone: America/Chicago
                helpText: Call us.
                """);

        assertThat(ConfigFiles.load(file, BusinessProfile.class, VALIDATOR).optOutConfirmation()).isEqualTo("Messages Stopped");
    }

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("business.yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
