package dev.bedrocktenant.attribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bedrocktenant.bench.Rounds;
import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.wire.BedrockOperation;
import dev.bedrocktenant.wire.InboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * What stamping the tenant's request metadata into a Converse body costs per request, as the proxy does it
 * ({@code splice}: Jackson's streaming parser finds the member, the bytes around it are copied), beside the
 * obvious alternative ({@code tree}: Jackson's tree model, read, set, written back — which also reformats the
 * application's body). Bodies: {@code small} is the crossover bench's request (~120 input tokens), {@code 4k}
 * a longer conversation. The application sends metadata of its own, which the stamp must keep.
 *
 *   java … dev.bedrocktenant.attribution.ConverseStampBench splice|tree small|4k
 */
public final class ConverseStampBench {

    static final String TURN = "{\"role\":\"user\",\"content\":[{\"text\":\"Lorem ipsum dolor sit amet consectetur"
            + " adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua Ut enim ad minim veniam"
            + " quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat Duis aute irure dolor in"
            + " reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur\"}]}";
    static final Tenant ACME = new Tenant("acme", Map.of("TenantID", "acme", "CostCenter", "marketing"), List.of(),
            Set.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws InterruptedException {
        String variant = args[0];
        byte[] body = body(args.length > 1 && args[1].equals("4k") ? 4 * 1024 : 0);
        System.out.println("body " + body.length + " bytes");
        Attribution attribution = new Attribution(true, "TenantID");
        InboundRequest inbound = new InboundRequest("POST", "localhost", "/model/x/converse", null,
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
        Rounds.Op op = switch (variant) {
            case "splice" -> i -> attribution.stamp(ACME, BedrockOperation.CONVERSE, inbound).body().orElseThrow().length();
            case "tree" -> i -> tree(body).length;
            default -> throw new IllegalArgumentException("splice or tree");
        };
        Rounds.run(1, op);
    }

    /** A body as the SDK writes it, with the application's own metadata last; at least {@code minBytes} long. */
    static byte[] body(int minBytes) {
        StringBuilder messages = new StringBuilder(TURN);
        while (messages.length() < minBytes) {
            messages.append(',').append(TURN);
        }
        return ("{\"messages\":[" + messages + "],\"inferenceConfig\":{\"maxTokens\":256},"
                + "\"requestMetadata\":{\"team\":\"blue\",\"TenantID\":\"forged\"}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tree(byte[] body) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(body);
            ObjectNode metadata = json.putObject("requestMetadata");
            metadata.put("team", "blue").put("TenantID", "acme").put("CostCenter", "marketing");
            return JSON.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
