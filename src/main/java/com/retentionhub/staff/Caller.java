package com.retentionhub.staff;

import java.security.Principal;

/** Who made a staff call, for "who" fields: the API key's fingerprint (see {@code ApiAudit.keyId}). */
final class Caller {

    private Caller() {}

    static String of(Principal who) {
        return who == null ? "api" : who.getName();
    }
}
