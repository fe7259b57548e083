package com.retentionhub.dispatch;

/**
 * What every voice sink connector takes.
 *
 * @param to E.164 number to call
 * @param script the assistant's opening line for this call (from the message's template), or blank
 * @param target the assistant to use (VAPI assistant id)
 * @param serverUrl where the provider posts the call's status updates and end-of-call report
 */
public record CallCommand(String to, String name, String script, String target, String serverUrl, String idempotencyKey,
        String attemptId) {}
