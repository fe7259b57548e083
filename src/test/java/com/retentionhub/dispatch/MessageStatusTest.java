package com.retentionhub.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageStatusTest {

    @Test
    void shouldOnlyMoveForward() {
        assertThat(MessageStatus.canMove("queued", "sent")).isTrue();
        assertThat(MessageStatus.canMove("sent", "delivered")).isTrue();
        assertThat(MessageStatus.canMove("sent", "queued")).isFalse();
        assertThat(MessageStatus.canMove("sent", "sent")).isFalse();
    }

    @Test
    void shouldNeverLeaveATerminalStatusExceptDeliveredToRead() {
        assertThat(MessageStatus.canMove("delivered", "sent")).isFalse();
        assertThat(MessageStatus.canMove("delivered", "failed")).isFalse();
        assertThat(MessageStatus.canMove("failed", "delivered")).isFalse();
        assertThat(MessageStatus.canMove("undelivered", "sent")).isFalse();
        assertThat(MessageStatus.canMove("delivered", "read")).isTrue();
    }

    @Test
    void shouldListEveryStatusThatMayPrecedeDelivered() {
        assertThat(MessageStatus.predecessorsOf("delivered")).containsExactlyInAnyOrder("queued", "accepted", "scheduled", "sending",
                "sent");
        assertThat(MessageStatus.predecessorsOf("read")).contains("delivered", "sent");
        assertThat(MessageStatus.predecessorsOf("queued")).isEmpty();
    }
}
