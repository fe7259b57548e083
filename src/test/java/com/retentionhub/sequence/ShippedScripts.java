package com.retentionhub.sequence;

import com.retentionhub.lead.Scripts;
import java.util.List;

/** Default scripts for every step of the shipped "New Meta Lead Nurture", created once per test database. */
final class ShippedScripts {

    static final List<String> NAMES = List.of("meta-welcome-email:EMAIL", "meta-welcome-sms:SMS", "meta-follow-up-email:EMAIL",
            "meta-intro-call:CALL", "meta-check-in-sms:SMS", "meta-last-chance-email:EMAIL");

    private ShippedScripts() {}

    static synchronized void ensure(Scripts scripts) {
        for (String s : NAMES) {
            String[] nc = s.split(":");
            if (scripts.resolve(nc[0], nc[1], null).isEmpty()) {
                scripts.create(new Scripts.Definition(nc[0], nc[1], null, nc[1].equals("EMAIL") ? "About your {{service}}" : null,
                        "Hi {{firstName}}, " + nc[0] + " from {{business}}.", null));
            }
        }
    }
}
