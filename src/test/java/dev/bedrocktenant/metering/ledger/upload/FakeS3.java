package dev.bedrocktenant.metering.ledger.upload;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.bedrocktenant.signing.CallerCredential;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * An S3 endpoint for tests, speaking S3's REST API as the AWS SDK for Java v2 speaks it with path-style addressing:
 * PutObject ({@code PUT /bucket/key}), GetObject, HeadObject, ListObjectsV2 ({@code GET /bucket?list-type=2}), errors as S3's
 * XML. It checks each request's SigV4 signature against the one secret it knows and a Content-MD5 against the body
 * (BadDigest), as S3 does; and it fails (500 InternalError) or hangs (never answers) on demand.
 */
public final class FakeS3 implements AutoCloseable {

    public static final String BUCKET = "usage-bucket";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** An object as stored. */
    public record StoredObject(byte[] bytes, String contentType, String contentMd5, Instant lastModified) {

        /** S3's ETag of a single-part upload: the hex MD5 of the bytes, in quotes. */
        String etag() {
            return "\"" + HexFormat.of().formatHex(Base64.getDecoder().decode(contentMd5)) + "\"";
        }
    }

    /** One PutObject as received, refused or not. */
    public record Put(String key, int status) {
    }

    private final String accessKeyId;
    private final String secretAccessKey;
    private final Vertx vertx = Vertx.vertx();
    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final List<Put> puts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile boolean hangs;
    private volatile int port;
    private HttpServer server;

    /** Accepts requests signed with this key pair only; listens on a free port. */
    public FakeS3(String accessKeyId, String secretAccessKey) {
        this(accessKeyId, secretAccessKey, 0);
    }

    /** As above, on {@code port} (for a proxy configured before the fake starts). */
    public FakeS3(String accessKeyId, String secretAccessKey, int port) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.port = port;
        start();
    }

    /** (Re)starts listening; on the same port as before once it has one. */
    public synchronized void start() {
        server = await(vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1")
                .toCompletionStage().toCompletableFuture());
        port = server.actualPort();
    }

    /** Stops listening: calls fail to connect, as to a store that is down. */
    public synchronized void stop() {
        await(server.close().toCompletionStage().toCompletableFuture());
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The next {@code n} requests are answered 500 InternalError. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    /** While true, requests are read and never answered, as by a store that hangs. */
    public void hangs(boolean hangs) {
        this.hangs = hangs;
    }

    /** Every object, by key in key order. */
    /** By key, so that tests compare in a fixed order ({@code Map.copyOf}'s order changes from run to run). */
    public Map<String, StoredObject> objects() {
        return Collections.unmodifiableSortedMap(new TreeMap<>(objects));
    }

    public Optional<StoredObject> object(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    /** Stores an object as if someone else had put it there (Bedrock delivering its logs). */
    public void seed(String key, byte[] bytes) {
        objects.put(key, new StoredObject(bytes, "application/octet-stream",
                Base64.getEncoder().encodeToString(md5(bytes)), Instant.now()));
    }

    public List<Put> puts() {
        return List.copyOf(puts);
    }

    @Override
    public void close() {
        await(vertx.close().toCompletionStage().toCompletableFuture());
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            if (request.method().name().equals("PUT")) {
                puts.add(new Put(key(request), hangs ? 0 : failuresLeft.get() > 0 ? 500 : 200));
            }
            if (hangs) {
                return; // never answered: the connection stays open until the caller gives up
            }
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                error(request, 500, "InternalError", "We encountered an internal error. Please try again.");
                return;
            }
            Optional<String> badSignature = signatureProblem(request, body);
            if (badSignature.isPresent()) {
                error(request, 403, "SignatureDoesNotMatch", badSignature.get());
                return;
            }
            respond(request, body);
        });
    }

    private void respond(HttpServerRequest request, Buffer body) {
        String[] bucketAndKey = request.path().substring(1).split("/", 2);
        if (!BUCKET.equals(bucketAndKey[0])) {
            error(request, 404, "NoSuchBucket", "The specified bucket does not exist");
            return;
        }
        String key = key(request);
        switch (request.method().name()) {
            case "PUT" -> putObject(request, key, body);
            case "HEAD" -> headObject(request, key);
            case "GET" -> {
                if (key.isEmpty() && "2".equals(request.getParam("list-type"))) {
                    listObjectsV2(request);
                } else if (!key.isEmpty()) {
                    getObject(request, key);
                } else {
                    error(request, 501, "NotImplemented", "the fake S3 does not do GET " + request.path());
                }
            }
            default -> error(request, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        }
    }

    private void putObject(HttpServerRequest request, String key, Buffer body) {
        if ("aws-chunked".equalsIgnoreCase(request.getHeader("Content-Encoding"))) {
            error(request, 501, "NotImplemented", "the fake S3 takes whole bodies, not aws-chunked ones");
            return;
        }
        byte[] bytes = body.getBytes();
        String md5 = Base64.getEncoder().encodeToString(md5(bytes));
        String claimed = request.getHeader("Content-MD5");
        if (claimed != null && !claimed.equals(md5)) {
            error(request, 400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
            return;
        }
        StoredObject object = new StoredObject(bytes, request.getHeader("Content-Type"), md5, Instant.now());
        objects.put(key, object);
        request.response().setStatusCode(200).putHeader("ETag", object.etag()).end();
    }

    private void getObject(HttpServerRequest request, String key) {
        StoredObject object = objects.get(key);
        if (object == null) {
            error(request, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        request.response().setStatusCode(200).putHeader("ETag", object.etag())
                .putHeader("Content-Type", object.contentType())
                .putHeader("Last-Modified", HTTP_DATE.format(object.lastModified())).end(Buffer.buffer(object.bytes()));
    }

    private void headObject(HttpServerRequest request, String key) {
        StoredObject object = objects.get(key);
        if (object == null) {
            request.response().setStatusCode(404).end(); // HEAD answers carry no body
            return;
        }
        request.response().setStatusCode(200).putHeader("ETag", object.etag())
                .putHeader("Content-Length", Integer.toString(object.bytes().length))
                .putHeader("Content-Type", object.contentType())
                .putHeader("Last-Modified", HTTP_DATE.format(object.lastModified())).end();
    }

    /** One page holds every match: the uploader's tests keep buckets small. */
    private void listObjectsV2(HttpServerRequest request) {
        String prefix = Optional.ofNullable(request.getParam("prefix")).orElse("");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        xml.append("<Name>").append(BUCKET).append("</Name><Prefix>").append(escape(prefix)).append("</Prefix>");
        List<Map.Entry<String, StoredObject>> matching = objects.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix)).toList();
        xml.append("<KeyCount>").append(matching.size()).append("</KeyCount><MaxKeys>1000</MaxKeys>")
                .append("<IsTruncated>false</IsTruncated>");
        for (Map.Entry<String, StoredObject> e : matching) {
            xml.append("<Contents><Key>").append(escape(e.getKey())).append("</Key><LastModified>")
                    .append(e.getValue().lastModified()).append("</LastModified><ETag>")
                    .append(escape(e.getValue().etag())).append("</ETag><Size>").append(e.getValue().bytes().length)
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.append("</ListBucketResult>");
        request.response().setStatusCode(200).putHeader("Content-Type", "application/xml").end(xml.toString());
    }

    /**
     * Signs the request again as S3 does — the path encoded once, not normalized; the payload hash as the caller's
     * {@code x-amz-content-sha256} says (UNSIGNED-PAYLOAD over TLS or not) — and compares.
     */
    private Optional<String> signatureProblem(HttpServerRequest request, Buffer body) {
        Optional<CallerCredential> credential = CallerCredential.parse(request.getHeader("Authorization"));
        if (credential.isEmpty()) {
            return Optional.of("no SigV4 Authorization header");
        }
        if (!credential.get().accessKeyId().equals(accessKeyId) || !credential.get().service().equals("s3")) {
            return Optional.of("unknown access key or service in the credential scope");
        }
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method().name()))
                .uri(URI.create("https://" + request.authority()))
                .encodedPath(rawPath(request));
        request.params().forEach(p -> unsigned.appendRawQueryParameter(p.getKey(), p.getValue()));
        for (String name : credential.get().signedHeaders()) {
            unsigned.putHeader(name, request.headers().getAll(name));
        }
        Instant signedAt = Instant.from(AMZ_DATE.parse(request.getHeader("X-Amz-Date")));
        boolean unsignedPayload = "UNSIGNED-PAYLOAD".equals(request.getHeader("x-amz-content-sha256"));
        String expected = AwsV4HttpSigner.create().sign(r -> r
                        .identity(AwsBasicCredentials.create(accessKeyId, secretAccessKey))
                        .request(unsigned.build())
                        .payload(() -> new java.io.ByteArrayInputStream(body.getBytes()))
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, credential.get().region())
                        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
                        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
                        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, !unsignedPayload)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").flatMap(CallerCredential::parse)
                .map(CallerCredential::signature).orElse("");
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                credential.get().signature().getBytes(StandardCharsets.US_ASCII))
                ? Optional.empty()
                : Optional.of("The request signature we calculated does not match the signature you provided.");
    }

    private static String key(HttpServerRequest request) {
        String[] bucketAndKey = request.path().substring(1).split("/", 2);
        return bucketAndKey.length < 2 ? "" : java.net.URLDecoder.decode(bucketAndKey[1].replace("+", "%2B"),
                StandardCharsets.UTF_8);
    }

    private static String rawPath(HttpServerRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static void error(HttpServerRequest request, int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + escape(message)
                + "</Message><RequestId>FAKE" + System.nanoTime() + "</RequestId></Error>";
        if (request.method().name().equals("HEAD")) {
            request.response().setStatusCode(status).end();
        } else {
            request.response().setStatusCode(status).putHeader("Content-Type", "application/xml").end(xml);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
