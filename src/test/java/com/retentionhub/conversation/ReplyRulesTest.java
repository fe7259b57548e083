package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.conversation.ReplyRules.Decision;
import com.retentionhub.conversation.ReplyRules.Fate;
import com.retentionhub.conversation.ReplyTaskStore.Standing;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What becomes of a reply task: the reasons for no reply, and the fate of a composed one under the conversation's lock. */
class ReplyRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-05T15:00:00Z");
    private static final Standing OPEN = new Standing(ConversationState.INTERESTED, null, null);
    private static final Reply TEXT = new Reply("We can come Tuesday.", null, "template", null, false);

    @ParameterizedTest
    @EnumSource(value = ConversationState.class, names = {"STOP", "PAUSE", "DONE"})
    void shouldSkipWhenTheConversationIsInASilentState(ConversationState silent) {
        assertThat(ReplyRules.skipReason(new Standing(silent, null, null), NOW)).isEqualTo("no reply in " + silent.value());
    }

    @ParameterizedTest
    @EnumSource(value = ConversationState.class, names = {"START", "INTERESTED", "ACTION_SQFT", "FOLLOW_UP"})
    void shouldFindNoSkipReasonWhenTheConversationIsOpen(ConversationState open) {
        assertThat(ReplyRules.skipReason(new Standing(open, null, NOW.minusSeconds(1)), NOW)).isNull();
    }

    @Test
    void shouldSkipWhenTheConversationIsEscalated() {
        assertThat(ReplyRules.skipReason(new Standing(ConversationState.INTERESTED, "legal threat", null), NOW))
                .isEqualTo("escalated to staff");
    }

    @Test
    void shouldSkipWhileStaffHaveTakenTheConversationOver() {
        assertThat(ReplyRules.skipReason(new Standing(ConversationState.INTERESTED, null, NOW.plusSeconds(60)), NOW))
                .isEqualTo("staff have the conversation");
    }

    @Test
    void shouldSkipAnOptedOutPhoneWithoutComposing() {
        assertThat(ReplyRules.skipBeforeAsking(OPEN, NOW, () -> true)).isEqualTo("opted out");
        assertThat(ReplyRules.skipBeforeAsking(OPEN, NOW, () -> false)).isNull();
    }

    @Test
    void shouldNotLookUpConsentWhenTheConversationAlreadyRulesOutAReply() {
        AtomicBoolean asked = new AtomicBoolean();

        String skip = ReplyRules.skipBeforeAsking(new Standing(ConversationState.PAUSE, null, null), NOW, () -> asked.getAndSet(true));

        assertThat(skip).isEqualTo("no reply in pause");
        assertThat(asked).isFalse();
    }

    @Test
    void shouldKeepTheReasonFoundBeforeAskingWhenThereIsNoReply() {
        assertThat(ReplyRules.decide("opted out", OPEN, NOW, null)).isEqualTo(new Decision(Fate.SKIP, "opted out"));
    }

    @Test
    void shouldSkipAComposedReplyWhenStaffTookTheConversationWhileTheModelWasAsked() {
        Standing takenOver = new Standing(ConversationState.INTERESTED, null, NOW.plusSeconds(600));

        assertThat(ReplyRules.decide(null, takenOver, NOW, TEXT)).isEqualTo(new Decision(Fate.SKIP, "staff have the conversation"));
    }

    @Test
    void shouldSkipWithTheReplysSourceWhenItHasNothingToSay() {
        Reply quiet = new Reply(null, null, "after-hours-quiet", null, false);

        assertThat(ReplyRules.decide(null, OPEN, NOW, quiet)).isEqualTo(new Decision(Fate.SKIP, "after-hours-quiet"));
    }

    @Test
    void shouldRecordAnOptOutWhenTheModelReadARevocation() {
        Reply revocation = new Reply("Understood.", ConversationState.STOP, Reply.FROM_MODEL, null, true);

        assertThat(ReplyRules.decide(null, OPEN, NOW, revocation).fate()).isEqualTo(Fate.OPT_OUT);
        assertThat(revocation.plain()).isFalse();
    }

    @Test
    void shouldHandOverWhenTheReplyAsksForStaffEvenWithoutAText() {
        Reply turnCap = new Reply(null, null, Escalation.TURN_CAP, Escalation.TURN_CAP, false);

        assertThat(ReplyRules.decide(null, OPEN, NOW, turnCap).fate()).isEqualTo(Fate.HAND_OVER);
        assertThat(turnCap.plain()).isFalse();
    }

    @Test
    void shouldApplyTheSchedulingPlanWhenTheReplyCarriesOne() {
        Scheduling.Plan plan = new Scheduling.Plan(Scheduling.Plan.Kind.BOOK, NOW.plusSeconds(86_400), "You're booked.");
        Reply booking = new Reply(plan.reply(), null, "scheduling", null, false, plan);

        assertThat(ReplyRules.decide(null, OPEN, NOW, booking).fate()).isEqualTo(Fate.SCHEDULE);
        assertThat(booking.plain()).isFalse();
    }

    @Test
    void shouldSendAPlainTextWhenNothingStandsInTheWay() {
        assertThat(ReplyRules.decide(null, OPEN, NOW, TEXT)).isEqualTo(new Decision(Fate.SEND, null));
        assertThat(TEXT.plain()).as("written together with other workers' answers").isTrue();
    }
}
