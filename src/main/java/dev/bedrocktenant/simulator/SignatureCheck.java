package dev.bedrocktenant.simulator;

import java.util.Optional;

import dev.bedrocktenant.signing.CallerCredential;
import dev.bedrocktenant.signing.SignatureVerifier;
import dev.bedrocktenant.wire.InboundRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Authenticates a request as Bedrock's front door does: SigV4 with an access key the simulator
 * accepts, answering the same error names and messages AWS uses.
 */
final class SignatureCheck {

    /** Why a request was refused: the restJson1 error to answer, and a log-safe reason. */
    record Rejection(String errorType, String message, String reason) {
    }

    private final AcceptedKeys keys;
    private final SignatureVerifier verifier;

    SignatureCheck(AcceptedKeys keys, SignatureVerifier verifier) {
        this.keys = keys;
        this.verifier = verifier;
    }

    /** Empty when the request is signed with the accepted key and the signature matches. */
    Optional<Rejection> check(HttpServerRequest request, Buffer body) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null) {
            return Optional.of(new Rejection("MissingAuthenticationTokenException", "Missing Authentication Token",
                    "no Authorization header"));
        }
        Optional<CallerCredential> credential = CallerCredential.parse(authorization);
        if (credential.isEmpty()) {
            return Optional.of(new Rejection("IncompleteSignatureException",
                    "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
                    "Authorization is not SigV4"));
        }
        Optional<String> secretAccessKey = keys.secretOf(credential.get().accessKeyId());
        if (secretAccessKey.isEmpty()) {
            return Optional.of(new Rejection("UnrecognizedClientException",
                    "The security token included in the request is invalid.", "unknown access key"));
        }
        String authority = request.getHeader("Host") != null ? request.getHeader("Host")
                : String.valueOf(request.authority());
        InboundRequest inbound = new InboundRequest(request.method().name(), authority, request.path(),
                request.query(), request.headers(), body);
        return verifier.verify(inbound, credential.get(), secretAccessKey.get())
                .map(reason -> new Rejection("InvalidSignatureException",
                        "The request signature we calculated does not match the signature you provided. "
                                + "Check your AWS Secret Access Key and signing method. "
                                + "Consult the service documentation for details.", reason));
    }
}
