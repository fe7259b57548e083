package com.retentionhub.lead;

import com.retentionhub.platform.ConfigFiles;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
 * The campaigns that ship in {@code config/campaigns/} (out of the box: Meta lead ads join the
 * shipped nurture sequence). Stored at start-up when no campaign of that name exists, so a campaign
 * staff changed, paused or ended stays as they left it. A blank directory ships none.
 */
@Component
public class CampaignFiles {

    /** After the shipped sequences are stored, since a campaign names one. */
    public static final int ORDER = 200;

    private static final Logger LOG = LoggerFactory.getLogger(CampaignFiles.class);

    /** A campaign as written in {@code config/campaigns/<name>.campaign.yaml}. */
    public record CampaignFile(@NotBlank String name,
            @Pattern(regexp = "ACTIVE|PAUSED|ENDED", message = "must be ACTIVE, PAUSED or ENDED") String status,
            List<@Pattern(regexp = "META|API|MANUAL|BULK|IMPORT", message = "must be a lead source") String> sources,
            @Min(0) Integer maxLeads,
            String sequence) {}

    private final Campaigns campaigns;
    private final Path directory;
    private final List<CampaignFile> shipped;

    public CampaignFiles(Campaigns campaigns, Validator validator, @Value("${hub.campaigns.directory:config/campaigns}") String directory) {
        this.campaigns = campaigns;
        this.directory = directory.isBlank() ? null : Path.of(directory);
        this.shipped = this.directory == null ? List.of() : load(this.directory, validator);
    }

    @Order(ORDER)
    @EventListener(ApplicationReadyEvent.class)
    public void storeShipped() {
        for (CampaignFile f : shipped) {
            if (campaigns.byName(f.name().trim()).isEmpty()) {
                try {
                    campaigns.create(new Campaigns.Definition(f.name(), f.status(), f.sources(), f.maxLeads(), f.sequence()));
                    LOG.info("campaign '{}' stored from {}", f.name(), directory);
                } catch (Campaigns.NameTaken e) {
                    // another instance stored it at the same moment
                }
            }
        }
    }

    private static List<CampaignFile> load(Path directory, Validator validator) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<CampaignFile> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.campaign.yaml")) {
            for (Path file : files) {
                found.add(ConfigFiles.load(file, CampaignFile.class, validator));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + directory, e);
        }
        return found;
    }
}
