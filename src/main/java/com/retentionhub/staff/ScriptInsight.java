package com.retentionhub.staff;

import com.retentionhub.conversation.Segments;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.Channel;
import com.retentionhub.platform.HubProperties;
import com.retentionhub.template.MessageTemplates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What a script does for one recipient before anything is sent: the text rendered the way dispatch
 * renders it, its length, for a text its SMS segments and encoding (GSM-7 or UCS-2, counted by
 * {@link Segments}, the same count dispatch records), the fields it uses and whether each has a
 * value or a default, and whether it names the business and says how to opt out (CTIA asks both of
 * a business-initiated text).
 */
@Component
public class ScriptInsight {

    /** A field the script uses: the recipient's value, else the configured default, else it cannot be rendered. */
    public record FieldUse(String name, boolean hasDefault, String defaultValue, boolean recipientHasIt) {}

    /** The analysis; {@code error} says why the text cannot be rendered for this recipient (then {@code text} is null). */
    public record Analysis(String subject, String text, String error, int length, Integer segments, String encoding, List<FieldUse> fields,
            boolean namesBusiness, boolean hasOptOut, List<String> warnings) {}

    /** The recipient's fields, as the sequence processor and dry run give them. */
    public record Recipient(String name, String phone, String email) {}

    private static final Pattern TAG = Pattern.compile("\\{\\{\\{?\\s*[#^/&]?\\s*([A-Za-z_][\\w.]*)\\s*\\}?\\}\\}");
    // Words carriers and CTIA accept as opt-out instructions.
    private static final Pattern OPT_OUT = Pattern.compile("(?i)\\b(stop|unsubscribe|opt[ -]?out|stopall|cancel)\\b");

    private final MessageTemplates templates;
    private final Map<String, String> defaults;
    private final String offerUrl;
    private final String businessName;

    public ScriptInsight(MessageTemplates templates, HubProperties properties, BusinessProfile business) {
        this.templates = templates;
        this.defaults = properties.templates().defaults() == null ? Map.of() : properties.templates().defaults();
        this.offerUrl = properties.templates().offerUrl();
        this.businessName = business.name();
    }

    public Analysis analyse(String channel, String subject, String body, Recipient recipient) {
        Channel ch = channel == null ? Channel.SMS : Channel.parse(channel).orElse(Channel.SMS);
        Map<String, Object> fields = new HashMap<>(MessageTemplates.nameFields(recipient.name()));
        if (recipient.email() != null) {
            fields.put("email", recipient.email());
        }
        if (recipient.phone() != null) {
            fields.put("phone", recipient.phone());
        }
        List<FieldUse> used = fields(body + " " + (subject == null ? "" : subject), fields);
        String text = null;
        String renderedSubject = null;
        String error = null;
        try {
            text = templates.render(body == null ? "" : body, fields, "preview");
            renderedSubject = subject == null || subject.isBlank() ? null : templates.render(subject, fields, "preview");
        } catch (MessageTemplates.TemplateException e) {
            error = e.getMessage();
            text = null;
        }
        String measured = text != null ? text : body == null ? "" : body;
        int length = measured.codePointCount(0, measured.length());
        Integer segments = null;
        String encoding = null;
        if (ch == Channel.SMS) {
            Segments s = Segments.of(measured);
            segments = s.count();
            encoding = s.encoding() == Segments.Encoding.GSM7 ? "GSM-7" : "UCS-2";
        }
        String whole = (subject == null ? "" : subject) + " " + (body == null ? "" : body);
        boolean namesBusiness = whole.contains("{{business}}")
                || whole.toLowerCase(Locale.ROOT).contains(businessName.toLowerCase(Locale.ROOT));
        boolean optOut = OPT_OUT.matcher(whole).find();
        List<String> warnings = new ArrayList<>();
        if (!namesBusiness && ch != Channel.VOICE) {
            warnings.add("does not name the business ({{business}} or \"" + businessName + "\")");
        }
        if (!optOut && ch == Channel.SMS) {
            warnings.add("says nothing about opting out (e.g. \"Reply STOP to opt out\")");
        }
        if (segments != null && segments > 1) {
            warnings.add(segments + " segments: each is billed as one text");
        }
        if ("UCS-2".equals(encoding)) {
            warnings.add("a character outside GSM-7 makes the whole text UCS-2 (70 characters per segment instead of 160)");
        }
        used.stream().filter(f -> !f.recipientHasIt() && !f.hasDefault()).forEach(f -> warnings.add("{{" + f.name()
                + "}} has no default: a recipient without it gets nothing"));
        return new Analysis(renderedSubject, text, error, length, segments, encoding, used, namesBusiness, optOut, warnings);
    }

    /** Each distinct field the template names, in order of first use. */
    private List<FieldUse> fields(String template, Map<String, Object> recipient) {
        Map<String, FieldUse> used = new LinkedHashMap<>();
        Matcher m = TAG.matcher(template);
        while (m.find()) {
            String name = m.group(1);
            if (used.containsKey(name)) {
                continue;
            }
            String fallback = switch (name) {
                case "business" -> businessName;
                case MessageTemplates.TRACKING_URL -> offerUrl == null || offerUrl.isBlank() ? null : offerUrl;
                default -> defaults.get(name);
            };
            used.put(name, new FieldUse(name, fallback != null, fallback, recipient.containsKey(name)));
        }
        return List.copyOf(used.values());
    }
}
