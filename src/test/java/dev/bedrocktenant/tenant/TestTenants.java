package dev.bedrocktenant.tenant;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.bedrocktenant.wire.InboundRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/** Tenants files, configuration and requests the tenant tests share. */
final class TestTenants {

    static final String ACME_SECRET = "acme-signing-secret-0123456789";
    static final String ACME_API_KEY = "bedrock-api-key-acme-0001";

    static final String YAML = """
            tenants:
              acme:
                tags: { TenantID: acme, CostCenter: marketing }
                accessKeys:
                  - AKIAACMEEXAMPLE00001
                  - { id: AKIAACMEEXAMPLE00002, secretEnv: TEST_ACME_SIGNING_SECRET }
                apiKeys:
                  - { sha256: %s }
                profiles:
                  "anthropic.claude-3-haiku-20240307-v1:0": "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/acme0haiku01"
                allowedModels: [ "anthropic.claude-3-haiku-20240307-v1:0" ]
                limits: { requestsPerMinute: 600, tokensPerMinute: 200000 }
                budget: { dailyUsd: 10.10, monthlyUsd: 200.00 }
              globex:
                tags: { TenantID: globex, CostCenter: marketing }
                accessKeys: [ AKIAGLOBEXEXAMPLE001 ]
                enforce: false
            """.formatted(TenantKeys.sha256Hex(ACME_API_KEY));

    static final Map<String, String> SECRETS = Map.of("TEST_ACME_SIGNING_SECRET", ACME_SECRET);

    private TestTenants() {
    }

    static TenantsFile file() {
        return new TenantsFile(name -> Optional.ofNullable(SECRETS.get(name)));
    }

    static Tenants tenants() {
        return file().parse(YAML);
    }

    record Config(String tenantsFile, Duration tenantsReloadInterval, String tenantHeader, String tagHeaderPrefix,
                  String unknownTenant) implements TenantConfig {
    }

    static TenantConfig config(String unknownTenant) {
        return new Config("tenants.yaml", Duration.ofSeconds(2), "X-Tenant-Id", "X-Bedrock-Tag-", unknownTenant);
    }

    static final String PATH = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse";
    static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}";

    /** An unsigned request carrying the given headers (name, value, name, value…). */
    static InboundRequest request(String... headers) {
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            map.add(headers[i], headers[i + 1]);
        }
        return new InboundRequest("POST", "127.0.0.1:8787", PATH, null, map, Buffer.buffer(BODY));
    }

    /** A request signed as an AWS SDK would sign it, with the given extra headers signed too. */
    static InboundRequest signed(String accessKeyId, String secret, String... headers) {
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8787"))
                .encodedPath(PATH)
                .putHeader("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            unsigned.putHeader(headers[i], headers[i + 1]);
        }
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsBasicCredentials.create(accessKeyId, secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "bedrock")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
        MultiMap map = MultiMap.caseInsensitiveMultiMap();
        signed.headers().forEach((name, values) -> values.forEach(v -> map.add(name, v)));
        return new InboundRequest("POST", "127.0.0.1:8787", PATH, null, map, Buffer.buffer(body));
    }

    static InboundRequest withBody(InboundRequest request, String body) {
        return new InboundRequest(request.method(), request.authority(), request.rawPath(), request.rawQuery(),
                request.headers(), Buffer.buffer(body));
    }
}
