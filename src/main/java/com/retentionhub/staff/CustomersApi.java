package com.retentionhub.staff;

import com.retentionhub.consent.ConsentChange;
import com.retentionhub.consent.ConsentLedger;
import com.retentionhub.consent.ConsentStatus;
import com.retentionhub.contact.PhoneNumbers;
import com.retentionhub.lead.Customers;
import com.retentionhub.platform.Channel;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.security.Principal;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Customers: create, read, search, replace and delete. A delete removes personal data and messages
 * but keeps an opt-out as a hashed tombstone. Consent given here is only ever a first opt-in or an
 * opt-out: renewing consent after an opt-out goes through POST /api/consent/{phone}, with evidence.
 */
@RestController
@RequestMapping("/api/customers")
public class CustomersApi {

    /** A service visit. */
    public record VisitRequest(@NotBlank @Size(max = 200) String service, @NotNull LocalDate performedOn, @Size(max = 2000) String notes) {}

    /** A customer as staff send it. PUT replaces every field; {@code serviceHistory} left out keeps the stored history. */
    public record CustomerRequest(
            @Size(max = 40) String phone,
            @Size(max = 200) String name,
            @Email @Size(max = 320) String email,
            @Pattern(regexp = "(?i)active|paused|cancelled", message = "must be active, paused or cancelled") String serviceStatus,
            LocalDate lastServiceOn,
            LocalDate cancelledOn,
            @Size(max = 4000) String openIssues,
            @Size(max = 20) List<@NotBlank @Pattern(regexp = "[\\p{L}0-9 _-]{1,40}", message = "tags are letters, digits, space, _ or -, up to 40") String> tags,
            @Size(max = 64) String timeZone,
            @Size(max = 200) List<@Valid VisitRequest> serviceHistory,
            @Pattern(regexp = "(?i)opted_in|opted_out", message = "must be opted_in or opted_out") String consent,
            @Size(max = 1000) String consentEvidence) {}

    private final Customers customers;
    private final ConsentLedger consent;
    private final PhoneNumbers phones;
    private final TransactionTemplate tx;
    private final Clock clock;

    public CustomersApi(Customers customers, ConsentLedger consent, PhoneNumbers phones, TransactionTemplate tx, Clock clock) {
        this.customers = customers;
        this.consent = consent;
        this.phones = phones;
        this.tx = tx;
        this.clock = clock;
    }

    @PostMapping
    public ResponseEntity<Customers.Customer> create(@Valid @RequestBody CustomerRequest request, Principal who) {
        if (request.phone() == null || request.phone().isBlank()) {
            throw ApiProblem.badRequest("phone is required");
        }
        String phone = phone(request.phone());
        Customers.Fields fields = fields(request);
        try {
            Customers.Customer created = tx.execute(s -> {
                Customers.Customer c = customers.create(phone, fields);
                recordConsent(phone, request, who, false);
                return c;
            });
            return ResponseEntity.status(HttpStatus.CREATED).body(customers.get(created.id()).orElseThrow());
        } catch (Customers.Exists e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "a customer with phone " + phone + " exists: /api/customers/" + e.id);
        }
    }

    @GetMapping
    public Customers.Page<Customers.Customer> search(@RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "status", required = false) String status, @RequestParam(name = "tag", required = false) String tag,
            @RequestParam(name = "sort", required = false) String sort, @RequestParam(name = "page", defaultValue = "0") int page,
            @RequestParam(name = "size", defaultValue = "50") int size) {
        String s = status == null ? null : status.trim().toLowerCase(Locale.ROOT);
        if (s != null && !s.equals("none") && !Customers.STATUSES.contains(s)) {
            throw ApiProblem.badRequest("status must be one of " + Customers.STATUSES + " or none");
        }
        if (sort != null && !Customers.SORTS.containsKey(sort.startsWith("-") ? sort.substring(1) : sort)) {
            throw ApiProblem.badRequest(
                    "sort must be one of " + Customers.SORTS.keySet().stream().sorted().toList() + ", '-' first for descending");
        }
        Paging.check(page, size);
        return customers.search(new Customers.Query(q, s, tag == null ? null : tag.trim().toLowerCase(Locale.ROOT), sort, page, size));
    }

    @GetMapping("/{id}")
    public Customers.Customer get(@PathVariable("id") long id) {
        return customers.get(id).orElseThrow(() -> ApiProblem.notFound("customer", id));
    }

    @PutMapping("/{id}")
    public Customers.Customer replace(@PathVariable("id") long id, @Valid @RequestBody CustomerRequest request, Principal who) {
        Customers.Customer existing = get(id);
        if (request.phone() != null && !phone(request.phone()).equals(existing.phone())) {
            throw ApiProblem.badRequest("the phone of a customer cannot change; create a customer with the new phone");
        }
        Customers.Fields fields = fields(request);
        tx.executeWithoutResult(s -> {
            customers.update(id, fields);
            recordConsent(existing.phone(), request, who, true);
        });
        return get(id);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable("id") long id) {
        if (!customers.delete(id)) {
            throw ApiProblem.notFound("customer", id);
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * A first opt-in is recorded with the staff's evidence; an opt-out always. An opt-in over an
     * opt-out is refused (409), so a form or an import can never undo a STOP.
     */
    private void recordConsent(String phone, CustomerRequest request, Principal who, boolean refuseRenewal) {
        if (request.consent() == null) {
            return;
        }
        boolean optIn = request.consent().equalsIgnoreCase("opted_in");
        ConsentStatus now = consent.current(phone, Channel.SMS.code());
        if (optIn && now != ConsentStatus.NONE) {
            if (now == ConsentStatus.OPTED_OUT && refuseRenewal) {
                throw new ApiProblem(HttpStatus.CONFLICT, "the customer opted out; record renewed consent with POST /api/consent/" + phone);
            }
            return; // already opted in, or opted out and kept so (a create never renews consent)
        }
        if (!optIn && now == ConsentStatus.OPTED_OUT) {
            return;
        }
        String evidence = request.consentEvidence() == null ? "set by staff on the customer record" : request.consentEvidence();
        consent.record(new ConsentChange(phone, Channel.SMS.code(), optIn ? ConsentChange.Action.OPT_IN : ConsentChange.Action.OPT_OUT,
                ConsentChange.Source.STAFF, evidence, Caller.of(who), clock.instant()));
    }

    private static Customers.Fields fields(CustomerRequest r) {
        if (r.timeZone() != null) {
            try {
                ZoneId.of(r.timeZone());
            } catch (DateTimeException e) {
                throw ApiProblem.badRequest("not a time zone: " + r.timeZone());
            }
        }
        List<String> tags = r.tags() == null ? null : r.tags().stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).distinct().toList();
        List<Customers.Visit> history = r.serviceHistory() == null
                ? null
                : r.serviceHistory().stream().map(v -> new Customers.Visit(v.service().trim(), v.performedOn(), v.notes())).toList();
        return new Customers.Fields(blankToNull(r.name()), r.email() == null ? null : r.email().trim().toLowerCase(Locale.ROOT),
                r.serviceStatus() == null ? null : r.serviceStatus().toLowerCase(Locale.ROOT), r.lastServiceOn(), r.cancelledOn(),
                blankToNull(r.openIssues()), tags, r.timeZone(), history);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private String phone(String raw) {
        return phones.toE164(raw).orElseThrow(() -> ApiProblem.badRequest("not a valid phone number: " + raw));
    }
}
