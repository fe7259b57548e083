package com.retentionhub.staff;

import com.retentionhub.platform.ApiAudit;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit of staff API calls and console changes (with the user's name), newest first; page on with {@code before} (the last id seen). */
@RestController
public class AuditApi {

    private final ApiAudit audit;

    public AuditApi(ApiAudit audit) {
        this.audit = audit;
    }

    @GetMapping("/api/audit")
    public List<ApiAudit.Entry> recent(@RequestParam(name = "keyId", required = false) String keyId,
            @RequestParam(name = "user", required = false) String user, @RequestParam(name = "before", required = false) Long before,
            @RequestParam(name = "size", defaultValue = "100") int size) {
        Paging.check(0, size);
        return audit.recent(keyId, user, before, size);
    }
}
