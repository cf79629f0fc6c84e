package dev.paver.core.approval;

/** Where an approval request is. APPROVED, DENIED and EXPIRED are decisions; a decided request takes no more votes. */
public enum ApprovalState {
    PENDING, APPROVED, DENIED, EXPIRED;

    /** True once decided. */
    public boolean decided() {
        return this != PENDING;
    }
}
