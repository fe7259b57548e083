package com.retentionhub.platform;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the container's error page says: an unknown path, a method a path does not take, a body
 * Tomcat refused. Boot's default answers a JSON shape of its own; callers of this hub get the same
 * application/problem+json as from the controllers, and never an exception's text.
 */
@RestController
public class ProblemErrors implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
                ? HttpStatus.valueOf(c)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail(status));
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path) {
            problem.setInstance(URI.create(path.replaceAll("[^A-Za-z0-9/._~-]", "_")));
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String detail(HttpStatus status) {
        return switch (status) {
            case NOT_FOUND -> "no such endpoint";
            case METHOD_NOT_ALLOWED -> "method not allowed here";
            case UNAUTHORIZED -> "authentication required";
            case FORBIDDEN -> "forbidden";
            case PAYLOAD_TOO_LARGE -> "request body too large";
            default -> status.is5xxServerError() ? "internal error" : status.getReasonPhrase().toLowerCase(Locale.ROOT);
        };
    }
}
