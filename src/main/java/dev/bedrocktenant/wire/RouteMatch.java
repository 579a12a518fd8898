package dev.bedrocktenant.wire;

import java.util.Optional;

/**
 * A request path recognised as a Bedrock Runtime operation.
 *
 * @param modelId         the model id from the path, percent-decoded (empty when the path has none)
 * @param modelIdStart    where the encoded model id segment starts in the raw path (-1 when none)
 * @param modelIdEnd      where it ends (exclusive)
 */
public record RouteMatch(BedrockOperation operation, Optional<String> modelId, int modelIdStart, int modelIdEnd) {

    static RouteMatch withoutModel(BedrockOperation operation) {
        return new RouteMatch(operation, Optional.empty(), -1, -1);
    }
}
