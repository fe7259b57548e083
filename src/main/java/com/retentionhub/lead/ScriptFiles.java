package com.retentionhub.lead;

import com.retentionhub.platform.Channel;
import com.retentionhub.platform.ConfigFiles;
import com.retentionhub.template.MessageTemplates;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The scripts that ship in {@code config/scripts/} (the shipped sequences and the smart re-engagement
 * name them). Validated at start-up, and stored as channel defaults when no script of that name and
 * channel exists: one staff edited or wrote themselves is never overwritten.
 */
@Component
public class ScriptFiles {

    /** Runs before the shipped sequences and campaigns are stored, so their first tick finds their scripts. */
    public static final int ORDER = 0;

    private static final Logger LOG = LoggerFactory.getLogger(ScriptFiles.class);

    /** A script as written in {@code config/scripts/<name>.script.yaml}. */
    public record ScriptFile(@NotBlank String name,
            @NotNull @Pattern(regexp = "SMS|EMAIL|CALL", message = "must be SMS, EMAIL or CALL") String channel,
            String subject, @NotNull String body, String target) {}

    private final Scripts scripts;
    private final Path directory;
    private final List<ScriptFile> shipped;

    public ScriptFiles(Scripts scripts, MessageTemplates templates, Validator validator,
            @Value("${hub.scripts.directory:config/scripts}") String directory) {
        this.scripts = scripts;
        this.directory = Path.of(directory);
        // Validate at construction: a broken file stops the hub, naming the file.
        this.shipped = load(this.directory, validator, templates);
    }

    @Order(ORDER)
    @EventListener(ApplicationReadyEvent.class)
    public void storeShipped() {
        for (ScriptFile f : shipped) {
            if (scripts.resolve(f.name(), f.channel(), null).isEmpty()) {
                try {
                    scripts.create(new Scripts.Definition(f.name(), f.channel(), null, f.subject(), f.body(), f.target()));
                    LOG.info("script '{}' ({}) stored from {}", f.name(), f.channel(), directory);
                } catch (Scripts.Taken e) {
                    // another instance stored it at the same moment
                }
            }
        }
    }

    private static List<ScriptFile> load(Path directory, Validator validator, MessageTemplates templates) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<ScriptFile> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.script.yaml")) {
            for (Path file : files) {
                ScriptFile f = ConfigFiles.load(file, ScriptFile.class, validator);
                if (f.channel().equals(Channel.EMAIL.stepName()) && (f.subject() == null || f.subject().isBlank())) {
                    throw new ConfigFiles.InvalidConfigException(file + ": field 'subject' an email script needs a subject");
                }
                try {
                    templates.validate(f.body());
                    if (f.subject() != null) {
                        templates.validate(f.subject());
                    }
                } catch (MessageTemplates.TemplateException e) {
                    throw new ConfigFiles.InvalidConfigException(file + ": " + e.getMessage());
                }
                found.add(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + directory, e);
        }
        return found;
    }
}
