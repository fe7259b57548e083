package com.retentionhub.console;

import com.retentionhub.lead.Campaigns;
import com.retentionhub.lead.Scripts;
import com.retentionhub.sequence.Sequences;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.time.DateTimeException;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * How the console calls the staff API's handlers: the same request records, validated the same
 * way, so a page refuses exactly what the API refuses, and the refusal's reason is shown on the page
 * instead of a problem document.
 */
@Component
public class ConsoleCalls {

    /** A refusal the page shows; carries the API's terse reason. */
    public static class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason);
        }
    }

    private final Validator validator;

    public ConsoleCalls(Validator validator) {
        this.validator = validator;
    }

    /** The request as the API would accept it, or {@link Refused} naming the first field that is wrong. */
    public <T> T valid(T request) {
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        violations.stream().min(Comparator.comparing(v -> v.getPropertyPath().toString())).ifPresent(v -> {
            throw new Refused(v.getPropertyPath() + " " + v.getMessage());
        });
        return request;
    }

    /** Runs a change; a refusal becomes the page's error message, a success its notice. */
    public void attempt(RedirectAttributes flash, String notice, Runnable change) {
        try {
            change.run();
            flash.addFlashAttribute("notice", notice);
        } catch (RuntimeException e) {
            flash.addFlashAttribute("error", reason(e));
            refused(e);
        }
    }

    /** Marks the request refused for the audit, with the status the API would have answered. */
    static void refused(RuntimeException e) {
        int status = e instanceof ErrorResponseException problem ? problem.getStatusCode().value() : 400;
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes current) {
            current.getRequest().setAttribute(ConsoleAudit.REFUSED_STATUS, status);
        }
    }

    /** Runs a read or a change for a fragment; the refusal's reason or null. */
    public <T> Result<T> call(Supplier<T> action) {
        try {
            return new Result<>(action.get(), null);
        } catch (RuntimeException e) {
            return new Result<>(null, reason(e));
        }
    }

    public record Result<T>(T value, String error) {}

    /** The terse reason of a refusal; anything unexpected is not the caller's fault and is rethrown. */
    static String reason(RuntimeException e) {
        if (e instanceof Refused || e instanceof IllegalArgumentException || e instanceof DateTimeException
        // The domain's own refusals, which the API answers as 409 through its exception handlers.
                || e instanceof Sequences.InUse || e instanceof Scripts.Taken
                || e instanceof Campaigns.NameTaken) {
            return e.getMessage();
        }
        if (e instanceof ErrorResponseException problem && problem.getStatusCode().is4xxClientError()) {
            return problem.getBody().getDetail();
        }
        throw e;
    }
}
