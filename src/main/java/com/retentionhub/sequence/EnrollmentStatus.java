package com.retentionhub.sequence;

/** Where an enrollment stands. ACTIVE and PAUSED are running; the others have ended. */
public enum EnrollmentStatus {
    ACTIVE,
    /** Held by staff or by its campaign's pause; resumes where it stopped. */
    PAUSED,
    /** Every step ran. */
    COMPLETED,
    /** Ended by a sale. */
    CONVERTED,
    /** Ended early: opted out, removed, rejected, its campaign ended. */
    EXITED;

    /** Still walking its steps (or held, to resume). */
    public boolean running() {
        return this == ACTIVE || this == PAUSED;
    }
}
