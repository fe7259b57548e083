package com.retentionhub.template;

import com.retentionhub.contact.ContactStore;
import com.retentionhub.platform.BusinessProfile;
import com.retentionhub.platform.HubProperties;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Mustache message templates ({@code {{firstName}}}, {@code {{service}}}, {@code {{business}}},
 * {@code {{trackingUrl}}}...). A field the contact lacks takes its configured default
 * ({@code hub.templates.defaults}); with no default the send is refused, naming the field, so a
 * customer never gets literal braces. {@code {{trackingUrl}}} is the offer URL with the message's
 * attempt id appended as {@code sub_id}, which is how a tracker postback finds the exact message.
 */
@Component
public class MessageTemplates {

    /** A template could not be rendered for this recipient; the message must not be sent. */
    public static class TemplateException extends RuntimeException {
        public TemplateException(String message) {
            super(message);
        }
    }

    public static final String TRACKING_URL = "trackingUrl";
    /** A field naming the offer link for {@code {{trackingUrl}}}; the configured offer URL otherwise. */
    public static final String OFFER_URL = "offerUrl";

    private static final Pattern LEFTOVER = Pattern.compile("\\{\\{|\\}\\}");
    private static final Pattern BRACES = Pattern.compile("[{}]");
    private static final int CACHE_LIMIT = 512;

    // Strict: a missing variable throws (jmustache's default when no defaultValue is set); no HTML escaping in texts.
    private final Mustache.Compiler compiler = Mustache.compiler().escapeHTML(false).strictSections(false);
    private final Map<String, Template> compiled = new ConcurrentHashMap<>();
    /** For validation only: every field blank, so only the template's own text remains. */
    private final Mustache.Compiler lenient = Mustache.compiler().escapeHTML(false).defaultValue("");
    private final Map<String, String> defaults;
    private final String offerUrl;
    private final String businessName;

    public MessageTemplates(HubProperties properties, BusinessProfile business) {
        HubProperties.Templates settings = properties.templates();
        this.defaults = settings.defaults() == null ? Map.of() : Map.copyOf(settings.defaults());
        this.offerUrl = settings.offerUrl();
        this.businessName = business.name();
    }

    /** {@code name}, {@code firstName} and {@code lastName} of a full name (the first word, then the rest); none for a blank one. */
    public static Map<String, String> nameFields(String name) {
        if (name == null || name.isBlank()) {
            return Map.of();
        }
        String[] parts = name.trim().split("\\s+", 2);
        return parts.length > 1
                ? Map.of("name", name.trim(), "firstName", parts[0], "lastName", parts[1])
                : Map.of("name", name.trim(), "firstName", parts[0]);
    }

    /** The fields a contact record gives a template. */
    public static Map<String, Object> fieldsOf(ContactStore.Contact contact) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("phone", contact.phone());
        fields.putAll(nameFields(contact.name()));
        if (contact.email() != null && !contact.email().isBlank()) {
            fields.put("email", contact.email());
        }
        return fields;
    }

    /**
     * Renders {@code template} with the defaults, the business name, the given fields (which win)
     * and the tracking link for {@code attemptId}.
     *
     * @throws TemplateException naming the first field that has neither a value nor a default
     */
    public String render(String template, Map<String, ?> fields, String attemptId) {
        Map<String, Object> context = new HashMap<>(defaults);
        context.put("business", businessName);
        fields.forEach((k, v) -> {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                // A value is data, never template syntax: a name typed as "{{Ana}}" must neither
                // trip the leftover-braces guard below (refusing every text to that person) nor reach
                // the customer as braces.
                context.put(k, v instanceof String text ? BRACES.matcher(text).replaceAll("") : v);
            }
        });
        Object offer = context.getOrDefault(OFFER_URL, offerUrl);
        if (offer != null && !offer.toString().isBlank() && attemptId != null) {
            context.put(TRACKING_URL, withSubId(offer.toString(), attemptId));
        }
        String text;
        try {
            text = compile(template).execute(context);
        } catch (MustacheException.Context e) {
            throw new TemplateException(TRACKING_URL.equals(e.key)
                    ? "the template uses {{trackingUrl}} but no offer URL is configured (hub.templates.offer-url or the offerUrl field)"
                    : "the template needs {{" + e.key
                            + "}}, which this recipient lacks and which has no default under hub.templates.defaults");
        } catch (MustacheException e) {
            throw new TemplateException("the template is not valid Mustache: " + e.getMessage());
        }
        if (LEFTOVER.matcher(text).find()) {
            throw new TemplateException("the rendered text still holds braces: refused rather than sent as is");
        }
        return text;
    }

    /**
     * Checks a template when it is saved: it compiles, and no stray braces survive rendering (an
     * unclosed {@code {{firstName} is text to jmustache, and would reach a customer).
     */
    public void validate(String template) {
        String trial;
        try {
            compile(template);
            trial = lenient.compile(template).execute(Map.of());
        } catch (MustacheException e) {
            throw new TemplateException("the template is not valid Mustache: " + e.getMessage());
        }
        if (LEFTOVER.matcher(trial).find()) {
            throw new TemplateException("the template has unbalanced braces");
        }
    }

    /** The offer URL with {@code sub_id} set to the attempt id (replacing any sub_id already there). */
    static String withSubId(String url, String attemptId) {
        String fragment = "";
        int hash = url.indexOf('#');
        if (hash >= 0) {
            fragment = url.substring(hash);
            url = url.substring(0, hash);
        }
        String base = url.replaceAll("([?&])sub_id=[^&]*&?", "$1").replaceAll("[?&]$", "");
        String sep = base.contains("?") ? "&" : "?";
        return base + sep + "sub_id=" + URLEncoder.encode(attemptId, StandardCharsets.UTF_8) + fragment;
    }

    private Template compile(String template) {
        Template t = compiled.get(template);
        if (t == null) {
            t = compiler.compile(template);
            if (compiled.size() >= CACHE_LIMIT) {
                compiled.clear(); // templates are few; a flood of one-off texts must not grow this forever
            }
            compiled.put(template, t);
        }
        return t;
    }
}
