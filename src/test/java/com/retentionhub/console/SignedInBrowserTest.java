package com.retentionhub.console;

import org.junit.jupiter.api.BeforeAll;

/** A console page test whose browser is signed in as the first admin before the first test. */
abstract class SignedInBrowserTest extends BrowserTest {

    @BeforeAll
    void signIn() {
        browser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
    }
}
