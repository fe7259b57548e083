package com.retentionhub.conversation;

/**
 * What the SMTP email sink takes: one email, with an iCalendar attachment when {@code ics} is set.
 *
 * @param method the iCalendar method of the attachment: REQUEST (add or update) or CANCEL
 */
public record InviteEmail(String to, String subject, String text, String ics, String method) {}
