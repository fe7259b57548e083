package com.retentionhub.console;

import jakarta.servlet.http.HttpServletResponse;
import java.time.DateTimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** A console request that fails gets a page saying why, in the console's frame, not the API's problem document. */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
public class ConsoleErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleErrors.class);

    @ExceptionHandler(ErrorResponseException.class)
    String refused(ErrorResponseException e, Model model, HttpServletResponse response) {
        if (e.getStatusCode().is5xxServerError()) {
            return unexpected(e, model, response);
        }
        return page(e.getStatusCode().value(), e.getBody().getDetail(), model, response);
    }

    @ExceptionHandler({IllegalArgumentException.class, DateTimeException.class, ConsoleCalls.Refused.class,
            MissingServletRequestParameterException.class})
    String badRequest(Exception e, Model model, HttpServletResponse response) {
        return page(400, e.getMessage(), model, response);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String badValue(MethodArgumentTypeMismatchException e, Model model, HttpServletResponse response) {
        return page(400, e.getName() + " is not valid: " + e.getValue(), model, response);
    }

    @ExceptionHandler(RuntimeException.class)
    String unexpected(RuntimeException e, Model model, HttpServletResponse response) {
        LOG.error("console request failed", e);
        return page(500, "Something went wrong on our side; it has been logged.", model, response);
    }

    private static String page(int status, String reason, Model model, HttpServletResponse response) {
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("reason", reason);
        model.addAttribute("title", HttpStatus.valueOf(status).getReasonPhrase());
        return "console/error";
    }
}
