package com.retentionhub.console;

import com.retentionhub.platform.BusinessProfile;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Times on console pages, in the business's time zone: what staff read on their own clocks. */
@Component("when")
public class When {

    private final DateTimeFormatter format;

    public When(BusinessProfile business) {
        this.format = DateTimeFormatter.ofPattern("MMM d, h:mm a", Locale.US).withZone(business.zone());
    }

    public String format(Instant at) {
        return at == null ? "" : format.format(at);
    }
}
