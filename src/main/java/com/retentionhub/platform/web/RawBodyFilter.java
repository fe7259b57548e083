package com.retentionhub.platform.web;

import com.retentionhub.platform.BodyDeadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a webhook's raw body, capped in size, before anything parses it. Signatures are computed
 * over exactly what the provider sent, and Tomcat's form parsing would both consume the stream and
 * quietly drop values that are not valid UTF-8 or exceed its limits.
 */
public class RawBodyFilter extends OncePerRequestFilter {

    /** Request attribute holding the body bytes. */
    public static final String ATTRIBUTE = RawBodyFilter.class.getName() + ".body";

    private final int maxBytes;
    private final Map<String, Integer> largerFor;

    public RawBodyFilter(int maxBytes) {
        this(maxBytes, Map.of());
    }

    /** {@code largerFor}: paths whose provider sends bigger bodies (Meta batches up to 1,000 changes), with their own cap. */
    public RawBodyFilter(int maxBytes, Map<String, Integer> largerFor) {
        this.maxBytes = maxBytes;
        this.largerFor = Map.copyOf(largerFor);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"POST".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        int limit = largerFor.getOrDefault(request.getRequestURI(), maxBytes);
        if (request.getContentLengthLong() > limit) {
            tooLarge(response, limit);
            return;
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            if (!BodyDeadline.isTimeout(e)) {
                throw e;
            }
            // The sender is too slow (or stalled): its fault, answered, and the connection closed.
            response.setStatus(408);
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("Connection", "close");
            response.getWriter().write("request body not received in time\n");
            return;
        }
        if (body.length > limit) {
            tooLarge(response, limit);
            return;
        }
        request.setAttribute(ATTRIBUTE, body);
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private static void tooLarge(HttpServletResponse response, int limit) throws IOException {
        response.setStatus(413);
        response.setContentType("text/plain; charset=utf-8");
        response.setHeader("Connection", "close");
        response.getWriter().write("body over " + limit + " bytes\n");
    }

    /** The request with its body readable again from memory. */
    private static final class CachedBodyRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
