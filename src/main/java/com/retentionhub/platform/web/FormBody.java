package com.retentionhub.platform.web;

import com.retentionhub.platform.TextFields;
import com.retentionhub.platform.WebhookRejectedException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} body (or query string) parsed strictly: bad percent
 * escapes and invalid UTF-8 are refused rather than silently replaced, because the signature and
 * the stored text must be exactly what the provider sent. This is the one place the hub decodes a
 * form. Values keep what was sent (for signatures and the raw record); the readers below apply
 * {@link TextFields}' rules, so a NUL never reaches the database.
 */
public final class FormBody {

    /** As Tomcat's default {@code maxParameterCount}: a provider sends a few dozen; more is an attack on the parser. */
    public static final int MAX_PARAMETERS = 1000;

    private final Map<String, List<String>> params;

    private FormBody(Map<String, List<String>> params) {
        this.params = params;
    }

    public static FormBody parse(byte[] raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        int start = 0;
        int count = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length || raw[i] == '&') {
                if (i > start) {
                    if (++count > MAX_PARAMETERS) {
                        throw WebhookRejectedException.badRequest("more than " + MAX_PARAMETERS + " form parameters");
                    }
                    int eq = indexOf(raw, (byte) '=', start, i);
                    String name = decode(raw, start, eq < 0 ? i : eq);
                    String value = eq < 0 ? "" : decode(raw, eq + 1, i);
                    params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
                }
                start = i + 1;
            }
        }
        return new FormBody(params);
    }

    /** Parameters that arrived in another shape (a JSON webhook's fields), kept as they are. */
    static FormBody of(Map<String, List<String>> params) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return new FormBody(copy);
    }

    /** The first value of {@code name}; 400 when it holds a NUL or other control character. */
    public String first(String name) {
        return checked(name, raw(name));
    }

    /** Free text that must be kept whatever it holds (a customer's text): a NUL is replaced, not refused. */
    public String text(String name) {
        return TextFields.replaceNul(raw(name));
    }

    /**
     * Every parameter with its one value, each checked like {@link #first}; 400 when a name comes
     * more than once, since which of two values was meant cannot be known.
     */
    public Map<String, String> single() {
        Map<String, String> single = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (v.size() > 1) {
                throw WebhookRejectedException.badRequest(checked("parameter name", k) + " given more than once");
            }
            single.put(checked("parameter name", k), checked(k, v.get(0)));
        });
        return single;
    }

    private String raw(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String checked(String name, String value) {
        try {
            return TextFields.require(name, value);
        } catch (TextFields.InvalidText e) {
            throw WebhookRejectedException
                    .badRequest(TextFields.firstControl(name) >= 0 ? "a parameter name: " + e.rule() : e.getMessage());
        }
    }

    public Map<String, List<String>> all() {
        return Collections.unmodifiableMap(params);
    }

    private static int indexOf(byte[] raw, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (raw[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String decode(byte[] raw, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = raw[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                if (i + 2 >= to) {
                    throw WebhookRejectedException.badRequest("malformed form encoding");
                }
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi < 0 || lo < 0) {
                    throw WebhookRejectedException.badRequest("malformed form encoding");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw WebhookRejectedException.badRequest("invalid UTF-8");
        }
    }
}
