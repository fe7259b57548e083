package com.retentionhub.console;

import com.retentionhub.platform.ApiAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every change made in the console (any request but a read) goes into the audit beside the API's
 * calls, under the signed-in user's name: what (the page's pattern), on what (its ids), and the
 * outcome. A change the page refused is recorded with the refusal's status, not the redirect's.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleAudit implements WebMvcConfigurer {

    /** Request attribute {@link ConsoleCalls} sets to the status of a refusal it turned into a message on the page. */
    static final String REFUSED_STATUS = ConsoleAudit.class.getName() + ".refused";

    private final ApiAudit audit;

    public ConsoleAudit(ApiAudit audit) {
        this.audit = audit;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception ex) {
                record(request, response.getStatus());
            }
        }).addPathPatterns("/console/**");
    }

    private void record(HttpServletRequest request, int status) {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || request.getUserPrincipal() == null) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String target = null;
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables && !variables.isEmpty()) {
            target = variables.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
        }
        Object refused = request.getAttribute(REFUSED_STATUS);
        audit.recordConsole(request.getUserPrincipal().getName(), method, pattern != null ? pattern.toString() : request.getRequestURI(),
                target,
                refused instanceof Integer s ? s : status);
    }
}
