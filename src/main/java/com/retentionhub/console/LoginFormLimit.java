package com.retentionhub.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a login form far larger than a user name, password and token need (413), before anything
 * parses it: a flood of megabyte forms then costs the hub a read, not a parse each. A form sent
 * without a length is parsed as usual, and {@link ConsoleLogin} refuses the over-long name.
 */
final class LoginFormLimit extends OncePerRequestFilter {

    /** A login form is a few hundred bytes; this leaves room for long passwords and names. */
    static final int MAX_BYTES = 8 * 1024;

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !"/login".equals(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > MAX_BYTES) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write("login form too large");
            return;
        }
        chain.doFilter(request, response);
    }
}
