package com.retentionhub.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import com.retentionhub.conversation.Segments.Encoding;
import org.junit.jupiter.api.Test;

class SegmentsTest {

    @Test
    void shouldFit160Gsm7CharactersInOneSegment() {
        assertThat(Segments.of("a".repeat(160))).isEqualTo(new Segments(Encoding.GSM7, 1));
        assertThat(Segments.of("a".repeat(161))).isEqualTo(new Segments(Encoding.GSM7, 2));
        assertThat(Segments.of("a".repeat(306))).isEqualTo(new Segments(Encoding.GSM7, 2));
        assertThat(Segments.of("a".repeat(307))).isEqualTo(new Segments(Encoding.GSM7, 3));
    }

    @Test
    void shouldCountExtensionCharactersTwice() {
        assertThat(Segments.of("€".repeat(80))).isEqualTo(new Segments(Encoding.GSM7, 1));
        assertThat(Segments.of("{".repeat(81))).isEqualTo(new Segments(Encoding.GSM7, 2));
        assertThat(Segments.of("a".repeat(159) + "^")).isEqualTo(new Segments(Encoding.GSM7, 2));
    }

    @Test
    void shouldSwitchTheWholeMessageToUcs2ForOneCharacterOutsideGsm7() {
        assertThat(Segments.of("a".repeat(69) + "’")).isEqualTo(new Segments(Encoding.UCS2, 1));
        assertThat(Segments.of("a".repeat(70) + "’")).isEqualTo(new Segments(Encoding.UCS2, 2));
        assertThat(Segments.of("a".repeat(134) + "’")).isEqualTo(new Segments(Encoding.UCS2, 3));
    }

    @Test
    void shouldCountAnEmojiAsTwoUtf16Units() {
        assertThat(Segments.of("a".repeat(68) + "😀")).isEqualTo(new Segments(Encoding.UCS2, 1));
        assertThat(Segments.of("a".repeat(69) + "😀")).isEqualTo(new Segments(Encoding.UCS2, 2));
    }

    @Test
    void shouldCountAnEmptyTextAsOneSegment() {
        assertThat(Segments.of("")).isEqualTo(new Segments(Encoding.GSM7, 1));
    }
}
