package dev.bedrocktenant.tenant;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import dev.bedrocktenant.bench.Measure;
import dev.bedrocktenant.wire.InboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * A tenants file of N tenants (bench/scale.sh): how long reading it takes (what a start and every reload
 * cost, on a worker thread), the heap its snapshot keeps, and what identifying one request costs by each
 * way a request can name its tenant: the tenant header, two tag headers, the access key id its SigV4
 * Authorization header carries (a key without secret: the lookup alone; a verified signature adds the HMAC,
 * which does not depend on N). Times are the CPU time of the thread doing the work. Arguments: N (tenants), the
 * file to write, and {@code write} to write it only. Prints one line per figure.
 */
public final class TenantScaleBench {

    private static final String[] MODELS = {"anthropic.claude-3-haiku-20240307-v1:0",
            "anthropic.claude-3-5-sonnet-20240620-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0",
            "meta.llama3-70b-instruct-v1:0"};
    /** The tenant each of the 1024 requests names (filled before timing: formatting one costs more than a lookup). */
    private static final String[] EXPECTED = new String[1024];
    private static final String PATH = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Path file = Path.of(args[1]);
        Files.writeString(file, tenantsFile(n), StandardCharsets.UTF_8);
        if (args.length > 2 && args[2].equals("write")) {
            return; // the file alone, for a proxy to load
        }
        TenantsFile reader = new TenantsFile(name -> Optional.of("bench-signing-secret-0123456789"));
        System.out.printf("tenants %d file %.1f KiB%n", n, Files.size(file) / 1024.0);

        long began = Measure.cpuNanos();
        Tenants first = reader.read(file);
        System.out.printf("read first %.1f ms%n", (Measure.cpuNanos() - began) / 1e6);
        if (first.size() != n) {
            throw new AssertionError("read " + first.size() + " tenants of " + n);
        }
        double[] reads = new double[Math.max(3, Math.min(15, 150_000 / n))];
        for (int i = 0; i < reads.length; i++) {
            began = Measure.cpuNanos();
            reader.read(file);
            reads[i] = (Measure.cpuNanos() - began) / 1e6;
        }
        Arrays.sort(reads);
        System.out.printf("read warm median %.1f ms (lowest %.1f, highest %.1f, %d reads)%n",
                reads[reads.length / 2], reads[0], reads[reads.length - 1], reads.length);

        first = null;
        long before = Measure.heapAfterGc();
        Tenants held = reader.read(file);
        long after = Measure.heapAfterGc();
        System.out.printf("heap kept %.1f MiB (%.0f bytes a tenant)%n", (after - before) / 1048576.0,
                (after - before) / (double) n);

        TenantIdentifier identifier = new TenantIdentifier(TenantDirectory.of(held), new Config());
        InboundRequest[] byHeader = new InboundRequest[1024];
        InboundRequest[] byTags = new InboundRequest[1024];
        InboundRequest[] byKey = new InboundRequest[1024];
        for (int i = 0; i < 1024; i++) {
            int t = (int) ((i * 7919L) % n);
            EXPECTED[i] = id(t);
            byHeader[i] = request("X-Tenant-Id", id(t));
            byTags[i] = request("X-Bedrock-Tag-TenantID", id(t), "X-Bedrock-Tag-CostCenter", "cc" + (t % 50));
            byKey[i] = request("Authorization", "AWS4-HMAC-SHA256 Credential=" + accessKey(t, 1)
                    + "/20261203/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00ff");
        }
        time("identify header", identifier, byHeader);
        time("identify tags", identifier, byTags);
        time("identify access-key", identifier, byKey);
        System.out.println("checksum " + held.size());
    }

    /**
     * ns per identification: a second of warm-up, then 5 rounds of about a second each (CPU time) (the median, lowest and
     * highest round). The identified tenant is checked against the one asked for, so a wrong index cannot look fast.
     */
    private static void time(String name, TenantIdentifier identifier, InboundRequest[] requests) {
        long warm = 0;
        long began = Measure.cpuNanos();
        while (Measure.cpuNanos() - began < 1_000_000_000L) {
            identifyChecked(name, identifier, requests, warm++);
        }
        long perRound = Math.max(1, warm);
        double[] rounds = new double[5];
        for (int round = 0; round < rounds.length; round++) {
            began = Measure.cpuNanos();
            for (long i = 0; i < perRound; i++) {
                identifyChecked(name, identifier, requests, i);
            }
            rounds[round] = (Measure.cpuNanos() - began) / (double) perRound;
        }
        Arrays.sort(rounds);
        System.out.printf("%s median %.0f ns (lowest %.0f, highest %.0f)%n", name, rounds[rounds.length / 2],
                rounds[0], rounds[rounds.length - 1]);
    }

    private static void identifyChecked(String name, TenantIdentifier identifier, InboundRequest[] requests, long i) {
        int at = (int) (i & 1023);
        String id = identifier.identify(requests[at]).tenant().id();
        if (!id.equals(EXPECTED[at])) {
            throw new AssertionError(name + ": identified " + id);
        }
    }

    private static InboundRequest request(String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        map.add("Content-Type", "application/json");
        map.add("Host", "127.0.0.1:8787");
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        return new InboundRequest("POST", "127.0.0.1:8787", PATH, null, map, Buffer.buffer("{}"));
    }

    static String id(int t) {
        return String.format("tenant-%05d", t);
    }

    static String accessKey(int t, int which) {
        return String.format("AKIABENCH%05d%06d", which, t);
    }

    /**
     * N tenants as a platform team would write them: three tags each, two access keys (the second with a
     * signing secret), three of five models mapped to profiles; one in three on a tier, one in four with
     * limits of its own, one in five with a budget, one in ten with allowed models.
     */
    static String tenantsFile(int n) {
        StringBuilder yaml = new StringBuilder("""
                tiers:
                  free:     { limits: { requestsPerMinute: 60, tokensPerMinute: 20000 }, budget: { dailyUsd: 1.00 } }
                  standard: { limits: { requestsPerMinute: 600, maxConcurrent: 20 }, budget: { monthlyUsd: 500 } }
                tenants:
                """);
        for (int t = 0; t < n; t++) {
            String id = id(t);
            yaml.append("  ").append(id).append(":\n");
            if (t % 3 == 0) {
                yaml.append("    tier: ").append(t % 2 == 0 ? "free" : "standard").append('\n');
            }
            yaml.append("    tags: { TenantID: ").append(id).append(", CostCenter: cc").append(t % 50)
                    .append(", Team: team").append(t % 200).append(" }\n");
            yaml.append("    accessKeys:\n      - ").append(accessKey(t, 1)).append('\n')
                    .append("      - { id: ").append(accessKey(t, 2)).append(", secretEnv: BENCH_SECRET }\n");
            yaml.append("    profiles:\n");
            for (int m = 0; m < 3; m++) {
                yaml.append("      \"").append(MODELS[(t + m) % MODELS.length])
                        .append("\": \"arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/")
                        .append(String.format("p%05d%d", t, m)).append("\"\n");
            }
            if (t % 10 == 0) {
                yaml.append("    allowedModels: [ \"").append(MODELS[t % MODELS.length]).append("\" ]\n");
            }
            if (t % 4 == 0) {
                yaml.append("    limits: { requestsPerMinute: ").append(100 + t % 900).append(", tokensPerMinute: 200000 }\n");
            }
            if (t % 5 == 0) {
                yaml.append("    budget: { dailyUsd: ").append(t % 100).append(".50, monthlyUsd: 200.00 }\n");
            }
        }
        return yaml.toString();
    }

    private record Config(String tenantsFile, Duration tenantsReloadInterval, String tenantHeader, String tagHeaderPrefix,
                          String unknownTenant) implements TenantConfig {
        Config() {
            this("tenants.yaml", Duration.ofSeconds(2), "X-Tenant-Id", "X-Bedrock-Tag-", "reject");
        }
    }
}
