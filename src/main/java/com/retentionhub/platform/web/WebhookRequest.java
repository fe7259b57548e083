package com.retentionhub.platform.web;

import com.retentionhub.platform.WebhookRejectedException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * The parts of a provider webhook the hub checks: raw body (size-capped), path, query, headers.
 * WORKAROUND(camel-platform-http-starter 4.17): the servlet request is taken from
 * {@link PlatformHttpMessage}, and the body from {@link RawBodyFilter}: by the time Camel runs,
 * the form has been consumed and its values handed over still URL-encoded.
 */
public record WebhookRequest(String path, String query, String contentType, byte[] body, HttpServletRequest servlet) {

    public static WebhookRequest read(Exchange exchange) {
        Message message = exchange.getMessage();
        HttpServletRequest servlet = message instanceof PlatformHttpMessage p ? p.getRequest() : null;
        if (servlet == null) {
            throw new IllegalStateException("not an HTTP exchange");
        }
        // The size cap (413) is RawBodyFilter's: it has already refused anything larger.
        return new WebhookRequest(servlet.getRequestURI(), servlet.getQueryString(), servlet.getContentType(), bodyBytes(servlet), servlet);
    }

    public FormBody form() {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            throw WebhookRejectedException.badRequest("expected application/x-www-form-urlencoded");
        }
        return FormBody.parse(body);
    }

    public String header(String name) {
        return servlet.getHeader(name);
    }

    private static byte[] bodyBytes(HttpServletRequest servlet) {
        if (servlet.getAttribute(RawBodyFilter.ATTRIBUTE) instanceof byte[] bytes) {
            return bytes;
        }
        if ("GET".equals(servlet.getMethod())) {
            return new byte[0]; // a GET webhook (Keitaro postbacks) carries its parameters in the query
        }
        throw new IllegalStateException("webhook path without RawBodyFilter: " + servlet.getRequestURI());
    }
}
