package com.retentionhub.staff;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.retentionhub.conversation.ManualMessages;
import com.retentionhub.lead.LeadIntake;
import com.retentionhub.platform.BodyDeadline;
import com.retentionhub.platform.TextFields;
import com.retentionhub.template.MessageTemplates;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as problem+json; unexpected ones without internals. A refused field is named with
 * its rule ("phone: must not be blank"), in {@code detail} and in an {@code errors} list.
 */
@RestControllerAdvice(basePackageClasses = ApiErrors.class)
public class ApiErrors extends ResponseEntityExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    @ExceptionHandler(TextFields.InvalidText.class)
    ProblemDetail invalidText(TextFields.InvalidText e) {
        return fields(List.of(Map.of("field", e.field(), "rule", e.rule())));
    }

    /** As payment APIs do: a key names one request; the same key with another payload is not a retry. */
    @ExceptionHandler(ManualMessages.KeyReused.class)
    ProblemDetail keyReused(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badArgument(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler({LeadIntake.InvalidLead.class, MessageTemplates.TemplateException.class})
    ProblemDetail invalidLead(RuntimeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    /**
     * The database refused a write that validation let through. Whatever did so is a gap to close
     * where the field is read, but the caller still learns it was their input, not an outage.
     */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail refusedByDatabase(DataIntegrityViolationException e) {
        String state = e.getMostSpecificCause() instanceof SQLException sql ? sql.getSQLState() : null;
        LOG.warn("staff API input refused by the database (SQLState {}): {}", state, e.getMostSpecificCause().getMessage());
        if (state == null) {
            return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "conflicts with stored data");
        }
        return switch (state) {
            case "23503" -> ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_ENTITY, "refers to a record that does not exist");
            case "23505" -> ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "already exists");
            case "22001" -> ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "a field is longer than it may be");
            case "22021", "22P05" ->
                ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "a field holds a character that cannot be stored");
            case "22003" -> ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "a number is out of range");
            default -> ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, "conflicts with stored data");
        };
    }

    @ExceptionHandler(RuntimeException.class)
    ProblemDetail unexpected(RuntimeException e) {
        LOG.error("staff API call failed", e);
        return ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "internal error");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e, HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(f -> Map.of("field", f.getField(), "rule", rule(f))).toList();
        if (errors.isEmpty()) {
            errors = e.getBindingResult().getGlobalErrors().stream()
                    .map(g -> Map.of("field", g.getObjectName(), "rule", String.valueOf(g.getDefaultMessage()))).toList();
        }
        return ResponseEntity.badRequest().body(fields(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream()
                        .map(err -> Map.of("field", String.valueOf(r.getMethodParameter().getParameterName()),
                                "rule", String.valueOf(err.getDefaultMessage()))))
                .toList();
        return ResponseEntity.badRequest().body(fields(errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
            HttpStatusCode status,
            WebRequest request) {
        if (BodyDeadline.isTimeout(e)) {
            return ResponseEntity.status(HttpStatus.REQUEST_TIMEOUT)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.REQUEST_TIMEOUT, "request body not received in time"));
        }
        String detail = "body is not valid JSON";
        if (e.getMostSpecificCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            String rule = mapping instanceof InvalidFormatException f && f.getTargetType() == String.class
                    ? f.getOriginalMessage()
                    : mapping instanceof MismatchedInputException m && m.getTargetType() != null
                            ? "must be " + typeName(m.getTargetType())
                            : "cannot be read";
            return ResponseEntity.badRequest().body(fields(List.of(Map.of("field", field, "rule", rule))));
        }
        return ResponseEntity.badRequest().body(ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail));
    }

    private static String rule(FieldError f) {
        return f.getDefaultMessage() == null ? "is invalid" : f.getDefaultMessage();
    }

    private static String typeName(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "a " + type.getSimpleName();
    }

    /** 400 whose detail lists "field: rule" for each, and whose {@code errors} property carries them apart. */
    static ProblemDetail fields(List<Map<String, String>> errors) {
        String detail = errors.stream().map(m -> m.get("field") + ": " + m.get("rule")).collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail.isEmpty() ? "invalid request" : detail);
        problem.setProperty("errors", errors);
        return problem;
    }
}
