package dev.bedrocktenant.wire;

import java.util.Set;

/**
 * Headers that describe one connection, not the message (RFC 9110 §7.6.1), so a proxy never copies
 * them from one side to the other; HTTP/2 forbids them outright.
 */
public final class HopByHopHeaders {

    private static final Set<String> NAMES = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

    private HopByHopHeaders() {
    }

    public static boolean is(String headerName) {
        return NAMES.contains(headerName.toLowerCase(java.util.Locale.ROOT));
    }
}
