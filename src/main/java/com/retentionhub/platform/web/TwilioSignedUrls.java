package com.retentionhub.platform.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The spellings of one webhook URL that Twilio may have signed. Twilio signs the URL as it was
 * configured, but what arrives is what went over the wire: a non-ASCII or quote character written
 * plainly in the console arrives percent-encoded (and Twilio has been seen to escape {@code '},
 * {@code :} and {@code @} on the wire only), while one written encoded may be signed encoded.
 * Twilio's own validators therefore try the URL as received and re-encoded, and with and without
 * the scheme's default port; so does this.
 *
 * <p>SECURITY: only spellings of the same URL are tried. Escapes of characters that delimit a URL's
 * parts ({@code % & = + # ? /}) and of control characters are never decoded, so no variant
 * changes which parameters a URL carries.
 */
final class TwilioSignedUrls {

    /** Escapes kept as they are: they delimit (or are) data, so decoding them could change a URL's meaning. */
    private static final String KEEP_ENCODED = "%&=+#?/";
    /** Characters Twilio's validators percent-encode when they re-encode a URL (the WHATWG URL sets, path and query). */
    private static final String ENCODE = " \"'<>`{}|\\^";

    private TwilioSignedUrls() {}

    /** The URL as received first, then its other spellings, each with and without the default port. */
    static Set<String> of(String received) {
        String plain = decode(received, false);
        Set<String> spellings = new LinkedHashSet<>();
        spellings.add(received);
        spellings.add(plain); // non-ASCII and quotes written plainly, as typed into Twilio's console
        spellings.add(decode(received, true)); // ASCII escapes undone, non-ASCII left encoded
        spellings.add(encode(plain)); // everything a URL parser would escape, escaped
        Set<String> urls = new LinkedHashSet<>();
        for (String url : spellings) {
            urls.add(url);
            urls.add(otherPortForm(url));
        }
        return urls;
    }

    /** Without the port if it is the scheme's default, with the default port if there is none; else unchanged. */
    static String otherPortForm(String url) {
        int schemeEnd = url.indexOf("://");
        if (schemeEnd < 0) {
            return url;
        }
        String scheme = url.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String defaultPort = "https".equals(scheme) ? "443" : "http".equals(scheme) ? "80" : null;
        if (defaultPort == null) {
            return url;
        }
        int hostStart = schemeEnd + 3;
        int hostEnd = hostStart;
        while (hostEnd < url.length() && "/?#".indexOf(url.charAt(hostEnd)) < 0) {
            hostEnd++;
        }
        String authority = url.substring(hostStart, hostEnd);
        int colon = authority.lastIndexOf(':');
        if (colon > authority.lastIndexOf(']')) { // a port (not a colon inside an IPv6 literal)
            return authority.substring(colon + 1).equals(defaultPort)
                    ? url.substring(0, hostStart) + authority.substring(0, colon) + url.substring(hostEnd)
                    : url;
        }
        return url.substring(0, hostEnd) + ":" + defaultPort + url.substring(hostEnd);
    }

    /**
     * Undoes percent-escapes, except those in {@link #KEEP_ENCODED} and of control characters; with
     * {@code asciiOnly}, escapes of non-ASCII bytes stay too. A sequence that is not valid UTF-8 is
     * left as it came.
     */
    static String decode(String url, boolean asciiOnly) {
        StringBuilder out = new StringBuilder(url.length());
        int i = 0;
        while (i < url.length()) {
            int b = escapedByte(url, i);
            if (b < 0) {
                out.append(url.charAt(i++));
            } else if (b < 0x80) {
                boolean keep = b < 0x20 || b == 0x7f || KEEP_ENCODED.indexOf(b) >= 0;
                out.append(keep ? url.substring(i, i + 3) : String.valueOf((char) b));
                i += 3;
            } else {
                // A run of escaped non-ASCII bytes: one or more UTF-8 characters.
                int start = i;
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                while (i < url.length() && (b = escapedByte(url, i)) >= 0x80) {
                    bytes.write(b);
                    i += 3;
                }
                String run = url.substring(start, i);
                out.append(asciiOnly ? run : utf8OrElse(bytes.toByteArray(), run));
            }
        }
        return out.toString();
    }

    /** Percent-encodes (UTF-8, upper-case hex) non-ASCII characters and those in {@link #ENCODE}; escapes already there stay. */
    static String encode(String url) {
        StringBuilder out = new StringBuilder(url.length() + 16);
        for (int i = 0; i < url.length();) {
            int cp = url.codePointAt(i);
            if (cp < 0x80 && ENCODE.indexOf(cp) < 0 && cp > 0x20 && cp != 0x7f) {
                out.append((char) cp);
            } else {
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
            }
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static int escapedByte(String s, int i) {
        if (s.charAt(i) != '%' || i + 2 >= s.length()) {
            return -1;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        return hi < 0 || lo < 0 ? -1 : (hi << 4) | lo;
    }

    private static String utf8OrElse(byte[] bytes, String otherwise) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return otherwise;
        }
    }
}
