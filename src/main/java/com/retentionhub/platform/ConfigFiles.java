package com.retentionhub.platform;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Loads a domain definition from {@code config/} into a typed, validated object. Any problem stops
 * start-up with the file, and the line or field, named.
 */
public final class ConfigFiles {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .findAndRegisterModules();

    private ConfigFiles() {}

    public static <T> T load(Path file, Class<T> type, Validator validator) {
        T value;
        try {
            value = YAML.readValue(Files.readString(file), type);
        } catch (JsonProcessingException e) {
            String where = " line " + lineOf(file, e) + ":";
            throw new InvalidConfigException(file + ":" + where + " " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (value == null) {
            throw new InvalidConfigException(file + ": is empty");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            String problems = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> "field '" + v.getPropertyPath() + "' " + v.getMessage())
                    .collect(Collectors.joining("; "));
            throw new InvalidConfigException(file + ": " + problems);
        }
        return value;
    }

    /**
     * The line to blame. For an unknown field the parser has already skipped past it, so the line
     * is found by the field's name instead.
     */
    private static int lineOf(Path file, JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).trim().startsWith(unknown.getPropertyName() + ":")) {
                        return i + 1;
                    }
                }
            } catch (IOException ignored) {
                // fall back to the parser's position
            }
        }
        JsonLocation at = e.getLocation();
        return at == null ? 0 : at.getLineNr();
    }

    /** A configuration file the hub refuses to start with. */
    public static class InvalidConfigException extends RuntimeException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }
}
