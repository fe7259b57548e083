package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.conversation.ReplyOffers.Offered;
import com.retentionhub.conversation.ReplyOffers.Settled;
import org.junit.jupiter.api.Test;

/** The offer/settle protocol: one holder per conversation, and no conversation let go while a task of it may be unread. */
class ReplyOffersTest {

    private static final long CONVERSATION = 7;

    private final ReplyOffers offers = new ReplyOffers();

    @Test
    void shouldQueueAConversationWhenItIsFree() {
        assertThat(offers.offer(CONVERSATION)).isEqualTo(Offered.QUEUED);
        assertThat(offers.offer(8)).isEqualTo(Offered.QUEUED);
    }

    @Test
    void shouldNotQueueAConversationAgainWhileItIsHeld() {
        offers.offer(CONVERSATION);

        assertThat(offers.offer(CONVERSATION)).isEqualTo(Offered.ALREADY_HELD);
    }

    @Test
    void shouldLetTheConversationGoWhenNoOfferCameInSinceTheRead() {
        offers.offer(CONVERSATION);
        offers.offer(CONVERSATION);
        ReplyOffers.Read read = offers.read(CONVERSATION);

        assertThat(offers.settle(read, false)).isEqualTo(Settled.LET_GO);
        assertThat(offers.offer(CONVERSATION)).as("the next text's offer finds it free").isEqualTo(Offered.QUEUED);
    }

    @Test
    void shouldKeepTheConversationForAnotherReadWhenAnOfferCameInSinceTheRead() {
        offers.offer(CONVERSATION);
        ReplyOffers.Read read = offers.read(CONVERSATION);
        offers.offer(CONVERSATION); // a text committed after the read

        assertThat(offers.settle(read, false)).isEqualTo(Settled.SUPERSEDED);
        assertThat(offers.offer(CONVERSATION)).as("still held by the worker that reads it again").isEqualTo(Offered.ALREADY_HELD);
    }

    @Test
    void shouldLetTheConversationGoAfterTheReadThatFollowedASupersedingOffer() {
        offers.offer(CONVERSATION);
        ReplyOffers.Read first = offers.read(CONVERSATION);
        offers.offer(CONVERSATION);
        offers.settle(first, false);

        ReplyOffers.Read again = offers.read(CONVERSATION);

        assertThat(offers.settle(again, false)).isEqualTo(Settled.LET_GO);
        assertThat(offers.offer(CONVERSATION)).isEqualTo(Offered.QUEUED);
    }

    @Test
    void shouldKeepTheConversationForAnotherReadWhenTheReadWasFull() {
        offers.offer(CONVERSATION);
        ReplyOffers.Read read = offers.read(CONVERSATION);

        assertThat(offers.settle(read, true)).isEqualTo(Settled.MORE_TASKS);
        assertThat(offers.offer(CONVERSATION)).isEqualTo(Offered.ALREADY_HELD);
    }

    @Test
    void shouldFreeTheConversationForTheSweepWhenItsAnswersAreGivenUp() {
        offers.offer(CONVERSATION);
        offers.read(CONVERSATION);

        offers.giveUp(CONVERSATION);

        assertThat(offers.offer(CONVERSATION)).as("the sweep's offer queues it anew").isEqualTo(Offered.QUEUED);
    }

    @Test
    void shouldKeepConversationsApart() {
        offers.offer(CONVERSATION);
        offers.offer(8);
        ReplyOffers.Read read = offers.read(CONVERSATION);
        offers.offer(8);

        assertThat(offers.settle(read, false)).isEqualTo(Settled.LET_GO);
        assertThat(offers.offer(8)).isEqualTo(Offered.ALREADY_HELD);
    }
}
