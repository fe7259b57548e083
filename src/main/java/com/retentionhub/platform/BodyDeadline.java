package com.retentionhub.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the time a request may take to send its body, whatever reads it. Tomcat's read timeout
 * only bounds the wait for each next byte, so a body trickled a byte every few seconds held a
 * thread for minutes; past {@code hub.http.body-read-timeout} the next read fails with
 * {@link TimedOut}, which the webhooks and the API answer with 408.
 */
public class BodyDeadline extends OncePerRequestFilter {

    /** Reading the body took longer than allowed. */
    public static class TimedOut extends IOException {
        public TimedOut(Duration limit) {
            super("request body not received within " + limit.toSeconds() + " s");
        }
    }

    private final Duration limit;

    public BodyDeadline(Duration limit) {
        this.limit = limit;
    }

    /** Whether {@code e} or a cause is a body read that timed out (ours, or Tomcat's per-read one). */
    public static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimedOut || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() == 0) {
            chain.doFilter(request, response);
            return;
        }
        chain.doFilter(new Bounded(request, System.nanoTime() + limit.toNanos(), limit), response);
    }

    private static final class Bounded extends HttpServletRequestWrapper {

        private final long deadline;
        private final Duration limit;
        private ServletInputStream stream;

        Bounded(HttpServletRequest request, long deadline, Duration limit) {
            super(request);
            this.deadline = deadline;
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Stream(super.getInputStream());
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }

        private final class Stream extends ServletInputStream {

            private final ServletInputStream in;

            Stream(ServletInputStream in) {
                this.in = in;
            }

            private void check() throws TimedOut {
                if (System.nanoTime() - deadline > 0) {
                    throw new TimedOut(limit);
                }
            }

            @Override
            public int read() throws IOException {
                check();
                int b = in.read();
                check();
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                check();
                int n = in.read(b, off, len);
                check();
                return n;
            }

            @Override
            public boolean isFinished() {
                return in.isFinished();
            }

            @Override
            public boolean isReady() {
                return in.isReady();
            }

            @Override
            public void setReadListener(ReadListener listener) {
                in.setReadListener(listener);
            }
        }
    }
}
