package com.retentionhub.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermsTest {

    @Test
    void shouldLeaveStopWordsAndPairsOfThemOutOfTheWordsReport() {
        assertThat(Terms.isStopTerm("a")).isTrue();
        assertThat(Terms.isStopTerm("to")).isTrue();
        assertThat(Terms.isStopTerm("hi")).isTrue();
        assertThat(Terms.isStopTerm("to the")).isTrue();
    }

    @Test
    void shouldKeepWordsThatCarryMeaningAndPairsWithOne() {
        assertThat(Terms.isStopTerm("free")).isFalse();
        assertThat(Terms.isStopTerm("hi jamie")).isFalse();
        assertThat(Terms.isStopTerm("book now")).isFalse();
        assertThat(Terms.isStopTerm("stop")).as("the opt-out word is wording, not filler").isFalse();
    }

    @Test
    void shouldStillSplitATextIntoAllItsTerms() {
        assertThat(Terms.of("Hi Jamie, book a free visit today")).contains("hi", "a", "free visit", "hi jamie");
    }
}
