package com.retentionhub.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;

/** A console page test whose browser is signed in as the first admin before the first test. */
abstract class SignedInBrowserTest extends BrowserTest {

    @BeforeAll
    void signIn() {
        browser.logIn(ConsoleSession.USER, ConsoleSession.PASSWORD);
    }

    /** Runs the due sequence steps now, as the scheduler would. */
    protected void process() {
        assertThat(staff.post("/api/scheduler/process-sequences", "{}").statusCode()).isEqualTo(200);
    }

    /** Creates a script through the API, as staff would before building a sequence on it. */
    protected void script(String name, String channel, String subject, String body) {
        String subjectField = subject == null ? "" : ",\"subject\":\"" + subject + "\"";
        assertThat(staff.post("/api/scripts", "{\"name\":\"" + name + "\",\"channel\":\"" + channel + "\"" + subjectField
                + ",\"body\":\"" + body + "\"}").statusCode()).isEqualTo(201);
    }
}
