package com.retentionhub.conversation;

/** Keeps a reply inside what one short SMS exchange should carry. */
public final class ReplyText {

    public static final int MAX_LENGTH = 320;

    private ReplyText() {}

    /**
     * The text itself when it fits; otherwise cut after the last sentence that fits, or at the last
     * word boundary with "..." (GSM-7, unlike the ellipsis character) when not even one sentence does.
     */
    public static String fit(String text) {
        String t = text.strip();
        if (t.length() <= MAX_LENGTH) {
            return t;
        }
        int cut = -1;
        for (int i = 0; i < MAX_LENGTH; i++) {
            char c = t.charAt(i);
            if ((c == '.' || c == '!' || c == '?') && (i + 1 == t.length() || Character.isWhitespace(t.charAt(i + 1)))) {
                cut = i + 1;
            }
        }
        if (cut > 0) {
            return t.substring(0, cut);
        }
        int room = MAX_LENGTH - 3; // for the "..."
        int space = t.lastIndexOf(' ', room);
        return t.substring(0, space > 0 ? space : room).strip() + "...";
    }
}
