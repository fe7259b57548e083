package com.retentionhub.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@link TextFields}' character rule applied where requests enter, once for every endpoint: JSON
 * request bodies (a string holding a NUL fails to bind, naming its field) and query strings (and the
 * console's forms). Webhook forms and JSON are checked by the ingress readers, which know that a
 * customer's text is kept rather than refused.
 */
@Configuration(proxyBeanMethods = false)
public class InputRules {

    /** The request JSON the controllers bind: the application's mapper plus the string rule (not the bus's mapper, whose raw forms may hold a NUL). */
    @Bean
    WebMvcConfigurer cleanJsonStrings(ObjectMapper json) {
        ObjectMapper checked = json.copy()
                .registerModule(new SimpleModule("clean-strings").addDeserializer(String.class, new CleanString()));
        return new WebMvcConfigurer() {
            @Override
            public void extendMessageConverters(List<HttpMessageConverter<?>> converters) {
                converters.stream().filter(MappingJackson2HttpMessageConverter.class::isInstance)
                        .forEach(c -> ((MappingJackson2HttpMessageConverter) c).setObjectMapper(checked));
            }
        };
    }

    /** Before anything reads a body (the webhooks' raw-body capture comes next). */
    @Bean
    FilterRegistrationBean<BodyDeadline> bodyDeadlineFilter(@Value("${hub.http.body-read-timeout:30s}") Duration limit) {
        FilterRegistrationBean<BodyDeadline> registration = new FilterRegistrationBean<>(new BodyDeadline(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CleanQuery> cleanQueryFilter() {
        FilterRegistrationBean<CleanQuery> registration = new FilterRegistrationBean<>(new CleanQuery());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** A JSON string, refused when it holds a control character other than tab and line breaks. */
    static final class CleanString extends StdScalarDeserializer<String> {

        CleanString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            int bad = value == null ? -1 : TextFields.firstControl(value);
            if (bad >= 0) {
                throw InvalidFormatException.from(p,
                        value.charAt(bad) == 0 ? "must not contain a NUL character" : "must not contain control characters",
                        value, String.class);
            }
            return value;
        }
    }

    /** 400 (problem+json) for a NUL or control character, encoded or raw, in a query string or a console form. */
    static final class CleanQuery extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String query = request.getQueryString();
            if (query != null && hasEncodedControl(query)) {
                refuse(response, "query: must not contain a NUL or control character");
                return;
            }
            String type = request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
            if (request.getRequestURI().startsWith("/console") && type.startsWith("application/x-www-form-urlencoded")) {
                for (var e : request.getParameterMap().entrySet()) {
                    for (String v : e.getValue()) {
                        if (TextFields.firstControl(v) >= 0) {
                            refuse(response, "form field " + e.getKey().replaceAll("[^A-Za-z0-9_.-]", "_")
                                    + ": must not contain a NUL or control character");
                            return;
                        }
                    }
                }
            }
            chain.doFilter(request, response);
        }

        /** %00-%1F except %09, %0A, %0D; or a raw control character. */
        static boolean hasEncodedControl(String query) {
            if (TextFields.firstControl(query) >= 0) {
                return true;
            }
            for (int i = query.indexOf('%'); i >= 0 && i + 2 < query.length(); i = query.indexOf('%', i + 1)) {
                int hi = Character.digit(query.charAt(i + 1), 16);
                int lo = Character.digit(query.charAt(i + 2), 16);
                if (hi == 0 || hi == 1) {
                    int c = (hi << 4) | lo;
                    if (lo >= 0 && c != '\t' && c != '\n' && c != '\r') {
                        return true;
                    }
                }
            }
            return false;
        }

        private static void refuse(HttpServletResponse response, String detail) throws IOException {
            response.setStatus(400);
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"" + detail + "\"}");
        }
    }
}
