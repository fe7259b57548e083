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

    @Test
    void shouldNotSplitAnEscapePairWhenItStraddlesTheSegmentBoundary() {
        // 152 + 2 + 152 = 306 septets, the escape pair taking septets 153-154: it moves whole to the second part.
        assertThat(Segments.of("a".repeat(152) + "€" + "a".repeat(152))).isEqualTo(new Segments(Encoding.GSM7, 3));
        assertThat(Segments.of("a".repeat(152) + "{" + "a".repeat(151))).isEqualTo(new Segments(Encoding.GSM7, 2));
        // The pair ending exactly on septet 153 fits: 151 + 2 + 153 = 306 septets in two parts.
        assertThat(Segments.of("a".repeat(151) + "€" + "a".repeat(153))).isEqualTo(new Segments(Encoding.GSM7, 2));
        // Every later boundary too: a pair at septet 306 pushes the third part.
        assertThat(Segments.of("a".repeat(305) + "]" + "a".repeat(152))).isEqualTo(new Segments(Encoding.GSM7, 4));
        assertThat(Segments.of("a".repeat(304) + "]" + "a".repeat(153))).isEqualTo(new Segments(Encoding.GSM7, 3));
    }

    @Test
    void shouldNotSplitASurrogatePairWhenItStraddlesTheSegmentBoundary() {
        // 66 + 2 + 66 = 134 UTF-16 units, the emoji taking units 67-68: it moves whole to the second part.
        assertThat(Segments.of("a".repeat(66) + "😀" + "a".repeat(66))).isEqualTo(new Segments(Encoding.UCS2, 3));
        assertThat(Segments.of("a".repeat(66) + "😀" + "a".repeat(65))).isEqualTo(new Segments(Encoding.UCS2, 2));
        assertThat(Segments.of("a".repeat(65) + "😀" + "a".repeat(67))).isEqualTo(new Segments(Encoding.UCS2, 2));
        assertThat(Segments.of("😀".repeat(35))).isEqualTo(new Segments(Encoding.UCS2, 1));
        // 36 emoji = 72 units: 33 per part (66 units, the 34th would straddle), so 2 parts.
        assertThat(Segments.of("😀".repeat(36))).isEqualTo(new Segments(Encoding.UCS2, 2));
        assertThat(Segments.of("😀".repeat(67))).isEqualTo(new Segments(Encoding.UCS2, 3));
    }

    @Test
    void shouldCountAnEscapePairThatEndsASingleSegmentWhole() {
        assertThat(Segments.of("a".repeat(158) + "€")).isEqualTo(new Segments(Encoding.GSM7, 1));
        assertThat(Segments.of("a".repeat(159) + "€")).isEqualTo(new Segments(Encoding.GSM7, 2));
    }
}
