package dev.bedrocktenant.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The AWS SDK calls in the compiled proxy (target/classes), read from the bytecode: every invocation of an operation
 * on a service client interface ({@code software/amazon/awssdk/services/<service>/<Name>Client}), method references
 * included, and AssumeRole where an {@code StsAssumeRoleCredentialsProvider} is built. Also which classes serve only the command-line commands, so that a call can be held against the
 * policy of whoever runs it.
 */
final class AwsCalls {

    private static final String OWN = "dev/bedrocktenant/";
    private static final Pattern CLIENT = Pattern.compile("software/amazon/awssdk/services/([a-z0-9]+)/[A-Za-z0-9]+Client");
    private static final String ASSUME_ROLE_PROVIDER = "software/amazon/awssdk/services/sts/auth/StsAssumeRoleCredentialsProvider";
    /** An operation takes its request, or a consumer of the request's builder; close(), serviceName() … do not. */
    private static final Pattern OPERATION_ARGUMENT =
            Pattern.compile("\\((Lsoftware/amazon/awssdk/services/[a-z0-9]+/model/\\w+Request;|Ljava/util/function/Consumer;)");

    /** One call site: the SDK's service module (bedrock, cloudwatch, sns, s3 …) and its method, in a top-level class. */
    record Call(String service, String method, String inClass) {

        /** The operation's name as IAM and the service API spell it: listInferenceProfilesPaginator → ListInferenceProfiles. */
        String operation() {
            String m = method.endsWith("Paginator") ? method.substring(0, method.length() - "Paginator".length()) : method;
            return Character.toUpperCase(m.charAt(0)) + m.substring(1);
        }
    }

    final List<Call> calls = new ArrayList<>();
    /** Top-level class → the top-level classes of the proxy it refers to. */
    private final Map<String, Set<String>> references = new HashMap<>();

    static AwsCalls in(Path classes) throws IOException {
        AwsCalls found = new AwsCalls();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    new ClassReader(in).accept(found.new Reader(), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                }
            }
        }
        return found;
    }

    /**
     * The classes only the commands use: those in the cli package or named …Command, then, repeatedly, every class
     * all of whose referrers are among them. A class no code refers to (a CDI bean, a route) belongs to the proxy.
     */
    Set<String> commandOnly() {
        Set<String> commands = new HashSet<>();
        for (String c : references.keySet()) {
            if (c.startsWith(OWN + "cli/") || c.endsWith("Command")) {
                commands.add(c);
            }
        }
        Map<String, Set<String>> referrers = referrers();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<String, Set<String>> e : referrers.entrySet()) {
                if (!commands.contains(e.getKey()) && !e.getValue().isEmpty() && commands.containsAll(e.getValue())) {
                    commands.add(e.getKey());
                    grew = true;
                }
            }
        }
        return commands;
    }

    /** The classes the commands run: the command-only ones and all they reach (shared code such as profile discovery). */
    Set<String> usedByCommands() {
        Set<String> reached = new HashSet<>(commandOnly());
        List<String> todo = new ArrayList<>(reached);
        while (!todo.isEmpty()) {
            for (String next : references.getOrDefault(todo.remove(todo.size() - 1), Set.of())) {
                if (reached.add(next)) {
                    todo.add(next);
                }
            }
        }
        return reached;
    }

    private Map<String, Set<String>> referrers() {
        Map<String, Set<String>> referrers = new HashMap<>();
        references.keySet().forEach(c -> referrers.put(c, new HashSet<>()));
        references.forEach((from, tos) -> tos.forEach(to -> referrers.computeIfAbsent(to, k -> new HashSet<>()).add(from)));
        return referrers;
    }

    private static String topLevel(String internalName) {
        int dollar = internalName.indexOf('$');
        return dollar < 0 ? internalName : internalName.substring(0, dollar);
    }

    private final class Reader extends ClassVisitor {
        private String current;

        Reader() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            current = topLevel(name);
            references.computeIfAbsent(current, k -> new HashSet<>());
            refer(superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    refer(i);
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            referDescriptor(descriptor);
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            referDescriptor(descriptor);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                    call(owner, method, desc);
                    refer(owner);
                    referDescriptor(desc);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    refer(owner);
                    referDescriptor(desc);
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    refer(type);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                        refer(t.getInternalName());
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String method, String desc, Handle bootstrap, Object... arguments) {
                    for (Object argument : arguments) {
                        if (argument instanceof Handle h) {   // a method reference or a lambda's body
                            call(h.getOwner(), h.getName(), h.getDesc());
                            refer(h.getOwner());
                        }
                    }
                }
            };
        }

        private void call(String owner, String method, String descriptor) {
            if (owner.equals(ASSUME_ROLE_PROVIDER) && method.equals("builder")) {
                // the SDK's provider calls AssumeRole itself, through the StsClient it is given
                calls.add(new Call("sts", "assumeRole", current));
                return;
            }
            Matcher client = CLIENT.matcher(owner);
            if (client.matches() && OPERATION_ARGUMENT.matcher(descriptor).lookingAt()) {
                calls.add(new Call(client.group(1), method, current));
            }
        }

        private void refer(String internalName) {
            if (internalName != null && internalName.startsWith(OWN)) {
                String to = topLevel(internalName);
                if (!to.equals(current)) {
                    references.get(current).add(to);
                }
            }
        }

        private void referDescriptor(String descriptor) {
            Matcher m = Pattern.compile("L(" + OWN + "[^;]+);").matcher(descriptor);
            while (m.find()) {
                refer(m.group(1));
            }
        }
    }
}
