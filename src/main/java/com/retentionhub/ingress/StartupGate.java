package com.retentionhub.ingress;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds webhook requests that arrive while the hub is still starting. Tomcat accepts connections
 * before Camel has registered its platform-http routes, and a 404 in that window is a lost
 * callback (Twilio retries only failed connections). Requests wait, up to a bound well inside
 * Twilio's 15 s timeout, and then go through; past the bound they get a 503.
 */
public class StartupGate extends OncePerRequestFilter {

    private final CountDownLatch ready = new CountDownLatch(1);
    private final long maxWaitMillis;

    public StartupGate(long maxWaitMillis) {
        this.maxWaitMillis = maxWaitMillis;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void open() {
        ready.countDown();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            if (ready.getCount() > 0 && !ready.await(maxWaitMillis, TimeUnit.MILLISECONDS)) {
                response.setStatus(503);
                response.setHeader("Retry-After", "5");
                response.setContentType("text/plain; charset=utf-8");
                response.getWriter().write("starting\n");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response.setStatus(503);
            return;
        }
        chain.doFilter(request, response);
    }
}
