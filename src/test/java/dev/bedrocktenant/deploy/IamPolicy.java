package dev.bedrocktenant.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An IAM identity policy from deploy/iam, evaluated as far as these policies need: Allow statements, Action and
 * Resource with the wildcards * and ?, and StringEquals conditions against the request's context. No Deny, no
 * NotAction: a policy using them fails to load rather than being read wrongly.
 */
final class IamPolicy {

    /** One request: the action, the resource it acts on ("*" where the action has no resource type), its context keys. */
    record Request(String action, String resource, Map<String, String> context) {
        Request(String action, String resource) {
            this(action, resource, Map.of());
        }
    }

    record Statement(String sid, List<String> actions, List<String> resources, Map<String, String> stringEquals) {
    }

    final String file;
    final List<Statement> statements = new ArrayList<>();

    private IamPolicy(String file) {
        this.file = file;
    }

    static IamPolicy read(Path file) throws IOException {
        JsonNode policy = new ObjectMapper().readTree(file.toFile());
        IamPolicy read = new IamPolicy(file.getFileName().toString());
        if (!"2012-10-17".equals(policy.path("Version").asText())) {
            throw new IllegalArgumentException(file + ": Version must be 2012-10-17");
        }
        for (JsonNode s : policy.path("Statement")) {
            if (!"Allow".equals(s.path("Effect").asText()) || s.has("NotAction") || s.has("NotResource")) {
                throw new IllegalArgumentException(file + " " + s.path("Sid") + ": only Allow with Action and Resource is evaluated here");
            }
            Map<String, String> equals = new HashMap<>();
            s.path("Condition").fields().forEachRemaining(operator -> {
                if (!operator.getKey().equals("StringEquals")) {
                    throw new IllegalArgumentException(file + " " + s.path("Sid") + ": condition " + operator.getKey() + " not evaluated here");
                }
                operator.getValue().fields().forEachRemaining(k -> equals.put(k.getKey().toLowerCase(), k.getValue().asText()));
            });
            read.statements.add(new Statement(s.path("Sid").asText(), strings(s.get("Action")), strings(s.get("Resource")), equals));
        }
        return read;
    }

    boolean allows(Request request) {
        return statements.stream().anyMatch(s -> matches(s, request));
    }

    /** Whether some statement grants the action on any resource (for SDK calls, whose resource the bytecode does not tell). */
    boolean allowsAction(String action, Map<String, String> context) {
        return statements.stream().anyMatch(s -> s.actions.stream().anyMatch(a -> glob(a, action, true))
                && conditionsHold(s, context));
    }

    private static boolean matches(Statement s, Request r) {
        return s.actions.stream().anyMatch(a -> glob(a, r.action(), true))
                && s.resources.stream().anyMatch(p -> glob(p, r.resource(), false))
                && conditionsHold(s, r.context());
    }

    private static boolean conditionsHold(Statement s, Map<String, String> context) {
        return s.stringEquals.entrySet().stream().allMatch(c -> context.entrySet().stream()
                .anyMatch(k -> k.getKey().equalsIgnoreCase(c.getKey()) && k.getValue().equals(c.getValue())));
    }

    /** IAM's matching: * any run of characters, ? one; action names ignore case, ARNs do not. */
    static boolean glob(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    private static List<String> strings(JsonNode node) {
        if (node == null) {
            throw new IllegalArgumentException("statement without Action or Resource");
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else {
            out.add(node.asText());
        }
        return out;
    }
}
