package dev.bedrocktenant.metering.ledger;



/** A ledger line that was not written: queue full, ledger closed, or the disk failed past the retries. */
public final class LedgerWriteFailed extends RuntimeException {

    public LedgerWriteFailed(String message, Throwable cause) {
        super(message, cause);
    }

    public LedgerWriteFailed(String message) {
        super(message);
    }
}
