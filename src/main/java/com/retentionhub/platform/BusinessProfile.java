package com.retentionhub.platform;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** The business the hub speaks for: {@code config/business.yaml}. */
public record BusinessProfile(
        @NotBlank String name,
        @NotEmpty List<@Valid Service> services,
        @NotEmpty Map<@Pattern(regexp = "mon|tue|wed|thu|fri|sat|sun", message = "must be a day: mon..sun") String, @Pattern(regexp = "closed|([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d", message = "must be HH:MM-HH:MM or closed") String> hours,
        @NotBlank String timeZone,
        @NotBlank @Size(max = 320) String helpText,
        @Size(max = 320) String optOutConfirmation,
        @Size(max = 320) String optInConfirmation,
        @Size(max = 320) String optOutClarification,
        @Size(max = 320) String escalationAcknowledgement,
        @Size(max = 300) String afterHoursReply,
        String tone,
        @Size(max = 320) String campaignReplyAcknowledgement) {

    public static final String DEFAULT_OPT_OUT_CONFIRMATION = "Messages Stopped";

    /** One thing the business sells. */
    public record Service(@NotBlank String name, String price, String description) {}

    /** Without a fixed acknowledgement: the first warm reply to a campaign is answered like any other text. */
    public BusinessProfile(String name, List<Service> services, Map<String, String> hours, String timeZone, String helpText,
            String optOutConfirmation,
            String optInConfirmation, String optOutClarification, String escalationAcknowledgement, String afterHoursReply, String tone) {
        this(name, services, hours, timeZone, helpText, optOutConfirmation, optInConfirmation, optOutClarification,
                escalationAcknowledgement,
                afterHoursReply, tone, null);
    }

    public BusinessProfile {
        if (campaignReplyAcknowledgement != null && campaignReplyAcknowledgement.isBlank()) {
            campaignReplyAcknowledgement = null;
        }
        if (optOutConfirmation == null || optOutConfirmation.isBlank()) {
            optOutConfirmation = DEFAULT_OPT_OUT_CONFIRMATION;
        }
        if (afterHoursReply == null || afterHoursReply.isBlank()) {
            afterHoursReply = "Thanks for your message! We're closed right now and will get back to you when we open {opening}.";
        }
        if (escalationAcknowledgement == null || escalationAcknowledgement.isBlank()) {
            escalationAcknowledgement = "Thank you for letting us know. A member of our team will contact you shortly.";
        }
        if (optOutClarification == null || optOutClarification.isBlank()) {
            optOutClarification = "Reply STOP to stop messages.";
        }
        if (optInConfirmation == null || optInConfirmation.isBlank()) {
            optInConfirmation = "You are subscribed again. Reply STOP to stop, HELP for help.";
        }
    }

    @AssertTrue(message = "must be an IANA time zone such as America/New_York")
    boolean isTimeZoneValid() {
        if (timeZone == null || timeZone.isBlank()) {
            return true; // reported by @NotBlank
        }
        try {
            ZoneId.of(timeZone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    public ZoneId zone() {
        return ZoneId.of(timeZone);
    }
}
