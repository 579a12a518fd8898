package dev.bedrocktenant.usage;

/** How a request ended, as the `outcome` label and ledger field name it (docs/reference.md §6). */
public enum Outcome {
    SUCCESS("success"),
    CLIENT_ERROR("client_error"),
    SERVER_ERROR("server_error"),
    THROTTLED("throttled"),
    /** the proxy itself refused the request (403/400) */
    REJECTED("rejected");

    public final String label;

    Outcome(String label) {
        this.label = label;
    }

    /** The outcome of a response Bedrock sent: 429 throttled, other 4xx client error, 5xx server error. */
    public static Outcome ofBedrockStatus(int status) {
        if (status >= 200 && status < 300) {
            return SUCCESS;
        }
        if (status == 429) {
            return THROTTLED;
        }
        return status >= 500 ? SERVER_ERROR : CLIENT_ERROR;
    }

    /** The outcome of a refusal the proxy answered itself. */
    public static Outcome ofProxyRefusal(int status) {
        if (status == 429) {
            return THROTTLED;
        }
        return status >= 500 ? SERVER_ERROR : REJECTED;
    }
}
