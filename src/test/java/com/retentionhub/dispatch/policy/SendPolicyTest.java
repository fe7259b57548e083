package com.retentionhub.dispatch.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The last hop's rules on their own: consent, the live toggle, expiry, quiet hours in the recipient's time, the caps, the lifetime limit. */
class SendPolicyTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    /** A Wednesday 14:00 in New York: inside every window. */
    private static final Instant WORKING_HOURS = at("2026-11-18T14:00");
    private static final String NEW_YORK_PHONE = "+12125550123";
    private static final String MIAMI_PHONE = "+13055550123";

    // Per contact 3 a day, per campaign 2 a day, 10 in a lead's lifetime; replies not held by quiet hours.
    private final SendPolicy policy = new SendPolicy(
            new QuietHours(QuietHours.File.of("08:00-21:00", Map.of("FL", new QuietHours.StateRule("08:00-20:00", null)))),
            new RecipientLocale(NEW_YORK), new HubProperties.Policy("unused", false, 3, 2, 10));

    @Test
    void shouldSendWhenLiveConsentedAndInsideEveryRule() {
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, List.of(), WORKING_HOURS))
                .isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldBlockEveryMessageButTheOptOutConfirmationWhenTheRecipientOptedOut() {
        for (String purpose : List.of(SendPolicy.MESSAGE, SendPolicy.REPLY, SendPolicy.STAFF_ALERT)) {
            assertThat(decide(sms(NEW_YORK_PHONE, purpose), ConsentStatus.OPTED_OUT, true, List.of(), WORKING_HOURS))
                    .isEqualTo(new SendPolicy.Block("recipient opted out"));
        }
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.OPT_OUT_CONFIRMATION), ConsentStatus.OPTED_OUT, true, List.of(), WORKING_HOURS))
                .isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldSimulateWhenNotLiveButStillBlockAnOptedOutRecipient() {
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, false, List.of(), WORKING_HOURS))
                .isEqualTo(new SendPolicy.Simulate());
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.OPTED_OUT, false, List.of(), WORKING_HOURS))
                .isInstanceOf(SendPolicy.Block.class);
    }

    @Test
    void shouldExpireAMessagePastItsExpiry() {
        SendPolicy.Candidate late = new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.SMS.code(), SendPolicy.MESSAGE, null, WORKING_HOURS,
                null);

        assertThat(decide(late, ConsentStatus.NONE, true, List.of(), WORKING_HOURS)).isInstanceOf(SendPolicy.Expire.class);
    }

    @Test
    void shouldDeferAMessageDueAt2230LocalUntil8NextMorning() {
        SendPolicy.Decision d = decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, List.of(),
                at("2026-11-18T22:30"));

        assertThat(d).isInstanceOf(SendPolicy.Defer.class);
        assertThat(((SendPolicy.Defer) d).until()).isEqualTo(at("2026-11-19T08:00"));
        assertThat(((SendPolicy.Defer) d).reason()).startsWith("quiet hours");
    }

    @Test
    void shouldHoldAFloridaRecipientFrom20WhereTheFederalWindowRunsTo21() {
        Instant at2030 = at("2026-11-18T20:30"); // Miami is on New York time

        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, List.of(), at2030))
                .isEqualTo(new SendPolicy.Send());
        assertThat(decide(sms(MIAMI_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, List.of(), at2030))
                .isEqualTo(new SendPolicy.Defer(at("2026-11-19T08:00"), "quiet hours (FL)"));
    }

    @Test
    void shouldUseTheContactsOwnZoneOverTheAreaCodes() {
        // 22:30 in New York, where the number's area code is, is 19:30 where the contact says they live.
        SendPolicy.Candidate movedWest = new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.SMS.code(), SendPolicy.MESSAGE, null, null,
                "America/Los_Angeles");

        assertThat(decide(movedWest, ConsentStatus.NONE, true, List.of(), at("2026-11-18T22:30"))).isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldLetRepliesAndEmailThroughQuietHours() {
        Instant night = at("2026-11-18T23:00");

        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.REPLY), ConsentStatus.NONE, true, List.of(), night))
                .isEqualTo(new SendPolicy.Send());
        assertThat(decide(email(), ConsentStatus.NONE, true, List.of(), night)).isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldDeferUntilTheOldestOfTheDaysSendsAgesOutWhenThePerContactCapIsFull() {
        List<SendPolicy.Sent> today = List.of(sent(Channel.SMS.code(), null, 3), sent(Channel.VOICE.code(), null, 2),
                sent(Channel.SMS.code(), "spring", 1));

        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, today, WORKING_HOURS))
                .isEqualTo(new SendPolicy.Defer(WORKING_HOURS.minus(Duration.ofHours(3)).plus(Duration.ofDays(1)),
                        "cap of 3 messages per 24 h"));
    }

    @Test
    void shouldDeferACampaignsThirdTextOfTheDayButNotAnotherCampaignsOrAReply() {
        List<SendPolicy.Sent> today = List.of(sent(Channel.SMS.code(), "spring", 2), sent(Channel.SMS.code(), "spring", 1));
        SendPolicy.Candidate spring = new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.SMS.code(), SendPolicy.MESSAGE, "spring", null,
                null);
        SendPolicy.Candidate fall = new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.SMS.code(), SendPolicy.MESSAGE, "fall", null, null);

        assertThat(decide(spring, ConsentStatus.NONE, true, today, WORKING_HOURS)).isEqualTo(
                new SendPolicy.Defer(WORKING_HOURS.minus(Duration.ofHours(2)).plus(Duration.ofDays(1)),
                        "cap of 2 messages per campaign per 24 h"));
        assertThat(decide(fall, ConsentStatus.NONE, true, today, WORKING_HOURS)).isEqualTo(new SendPolicy.Send());
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.REPLY), ConsentStatus.NONE, true, today, WORKING_HOURS))
                .isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldNotCountEmailTowardsTheTelephoneCaps() {
        List<SendPolicy.Sent> emails = List.of(sent(Channel.EMAIL.code(), null, 3), sent(Channel.EMAIL.code(), null, 2),
                sent(Channel.EMAIL.code(), null, 1));

        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, emails, WORKING_HOURS))
                .isEqualTo(new SendPolicy.Send());
    }

    @Test
    void shouldDeferToTheNextOpeningWhenTheCapFreesUpAtNight() {
        // The cap has room again at 22:00 tonight, inside quiet hours: the message waits for 8:00 tomorrow instead.
        List<SendPolicy.Sent> today = List.of(new SendPolicy.Sent(Channel.SMS.code(), null, at("2026-11-17T22:00")),
                new SendPolicy.Sent(Channel.SMS.code(), null, at("2026-11-18T07:00")),
                new SendPolicy.Sent(Channel.SMS.code(), null, at("2026-11-18T10:00")));

        SendPolicy.Decision d = decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, today, WORKING_HOURS);

        assertThat(d).isInstanceOf(SendPolicy.Defer.class);
        assertThat(((SendPolicy.Defer) d).until()).isEqualTo(at("2026-11-19T08:00"));
        assertThat(((SendPolicy.Defer) d).reason()).startsWith("quiet hours");
    }

    @Test
    void shouldExpireRatherThanDeferPastTheExpiry() {
        SendPolicy.Candidate tonightOnly = new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.SMS.code(), SendPolicy.MESSAGE, null,
                at("2026-11-19T07:00"), null);

        SendPolicy.Decision d = decide(tonightOnly, ConsentStatus.NONE, true, List.of(), at("2026-11-18T22:30"));

        assertThat(d).isInstanceOf(SendPolicy.Expire.class);
        assertThat(((SendPolicy.Expire) d).reason()).contains("quiet hours");
    }

    @Test
    void shouldBlockTheLeadsEleventhTelephoneMessageButNotAnEmail() {
        List<SendPolicy.Sent> lifetime = new ArrayList<>();
        for (int day = 2; day <= 11; day++) {
            lifetime.add(sent(day % 2 == 0 ? Channel.SMS.code() : Channel.VOICE.code(), null, day * 24));
        }

        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.MESSAGE), ConsentStatus.NONE, true, lifetime, WORKING_HOURS))
                .isEqualTo(new SendPolicy.Block("lifetime limit of 10 messages to this lead reached"));
        assertThat(decide(email(), ConsentStatus.NONE, true, lifetime, WORKING_HOURS)).isEqualTo(new SendPolicy.Send());
        assertThat(decide(sms(NEW_YORK_PHONE, SendPolicy.REPLY), ConsentStatus.NONE, true, lifetime, WORKING_HOURS))
                .isEqualTo(new SendPolicy.Send());
    }

    private SendPolicy.Decision decide(SendPolicy.Candidate m, ConsentStatus consent, boolean live, List<SendPolicy.Sent> history,
            Instant now) {
        return policy.decide(m, consent, live, history, now);
    }

    private static SendPolicy.Candidate sms(String phone, String purpose) {
        return new SendPolicy.Candidate(phone, Channel.SMS.code(), purpose, null, null, null);
    }

    private static SendPolicy.Candidate email() {
        return new SendPolicy.Candidate(NEW_YORK_PHONE, Channel.EMAIL.code(), SendPolicy.MESSAGE, null, null, null);
    }

    /** A business-initiated message that went {@code hoursAgo} before {@link #WORKING_HOURS}. */
    private static SendPolicy.Sent sent(String channel, String campaign, int hoursAgo) {
        return new SendPolicy.Sent(channel, campaign, WORKING_HOURS.minus(Duration.ofHours(hoursAgo)));
    }

    /** A New York local time. */
    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(NEW_YORK).toInstant();
    }
}
