package com.retentionhub.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TwilioSignedUrlsTest {

    @Test
    void shouldTryTheUrlWithAndWithoutTheDefaultPortOnly() {
        assertThat(TwilioSignedUrls.otherPortForm("https://a.example.com/sms?x=1")).isEqualTo("https://a.example.com:443/sms?x=1");
        assertThat(TwilioSignedUrls.otherPortForm("https://a.example.com:443/sms")).isEqualTo("https://a.example.com/sms");
        assertThat(TwilioSignedUrls.otherPortForm("http://a.example.com")).isEqualTo("http://a.example.com:80");
        assertThat(TwilioSignedUrls.otherPortForm("http://a.example.com:80/x")).isEqualTo("http://a.example.com/x");
        assertThat(TwilioSignedUrls.otherPortForm("https://a.example.com:8443/sms")).isEqualTo("https://a.example.com:8443/sms");
        assertThat(TwilioSignedUrls.otherPortForm("https://[::1]/sms")).isEqualTo("https://[::1]:443/sms");
    }

    @Test
    void shouldDecodeNonAsciiAndQuotesButNeverADelimiterWhenSpellingTheUrlPlainly() {
        assertThat(TwilioSignedUrls.decode("https://h/sms?c=Z%C3%BCrich&w=O%27Brien%22&t=a%26b%3Dc%2Bd%25e%23f%3Fg%2Fh", false))
                .isEqualTo("https://h/sms?c=Zürich&w=O'Brien\"&t=a%26b%3Dc%2Bd%25e%23f%3Fg%2Fh");
        assertThat(TwilioSignedUrls.decode("https://h/sms?c=Z%C3%BCrich&w=O%27Brien", true))
                .isEqualTo("https://h/sms?c=Z%C3%BCrich&w=O'Brien");
    }

    @Test
    void shouldLeaveAnEscapeAsItCameWhenItIsNotUtf8OrNotAnEscape() {
        assertThat(TwilioSignedUrls.decode("https://h/sms?c=%FF%FE&d=%zz&e=%", false)).isEqualTo("https://h/sms?c=%FF%FE&d=%zz&e=%");
    }

    @Test
    void shouldReEncodeWhatAUrlParserEscapesAndKeepEscapesThatAreThere() {
        assertThat(TwilioSignedUrls.encode("https://h/sms?w=O'Brien \"Zürich\"&t=a%26b"))
                .isEqualTo("https://h/sms?w=O%27Brien%20%22Z%C3%BCrich%22&t=a%26b");
    }

    @Test
    void shouldOfferEachSpellingWithBothPortForms() {
        assertThat(TwilioSignedUrls.of("https://h/sms?w=O%27Brien")).contains("https://h/sms?w=O%27Brien", "https://h:443/sms?w=O%27Brien",
                "https://h/sms?w=O'Brien", "https://h:443/sms?w=O'Brien");
        assertThat(TwilioSignedUrls.of("https://h/sms?w=O'Brien")).contains("https://h/sms?w=O%27Brien");
    }
}
