package com.retentionhub.connector.vapi;

import java.util.Locale;

/** VAPI's call statuses and ended reasons in the hub's delivery vocabulary: shared by the call mapper's lookups and the webhook. */
public final class VapiCallStatus {

    private VapiCallStatus() {}

    /** The hub's delivery status for a VAPI call status and, once ended, its reason; null for a status it does not know. */
    public static String of(String callStatus, String endedReason) {
        String s = callStatus == null ? "" : callStatus.toLowerCase(Locale.ROOT);
        return switch (s) {
            case "scheduled" -> "scheduled";
            case "queued" -> "queued";
            case "ringing" -> "sending";
            case "in-progress", "forwarding" -> "sent";
            case "ended" -> failureCode(endedReason) == null ? "delivered" : "failed";
            case "failed", "no-answer", "busy" -> "failed";
            default -> null;
        };
    }

    /** Why an ended call counts as a failure, or null when it connected. */
    public static String failureCode(String endedReason) {
        if (endedReason == null || endedReason.isBlank()) {
            return null;
        }
        String r = endedReason.toLowerCase(Locale.ROOT);
        if (r.contains("did-not-answer") || r.contains("no-answer")) {
            return "no-answer";
        }
        if (r.contains("busy")) {
            return "busy";
        }
        if (r.contains("voicemail")) {
            return "voicemail";
        }
        if (r.contains("error") || r.contains("failed") || r.contains("fault") || r.startsWith("call.start") || r.contains("not-found")) {
            return "error";
        }
        return null;
    }
}
