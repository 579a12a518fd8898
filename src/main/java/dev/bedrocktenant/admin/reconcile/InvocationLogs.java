package dev.bedrocktenant.admin.reconcile;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bedrocktenant.controlplane.QuickClosingNettyClient;
import dev.bedrocktenant.metering.ledger.upload.BucketLocation;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;

/**
 * Reads Bedrock's model invocation log records of a window, from a local directory (files copied from the log
 * bucket, or exported) or straight from the S3 prefix Bedrock delivers them to
 * ({@code <prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/….json.gz}). A file holds
 * records one after another (one per line, or concatenated), gzipped or not. Records of other schemas and lines
 * that are not JSON are skipped and counted.
 */
final class InvocationLogs {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The hour folder of a delivered object; an object holds records of about that hour. */
    private static final Pattern HOUR = Pattern.compile("/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/");
    /** Margin around the window when choosing objects by their hour folder: delivery lags the records. */
    private static final Duration DELIVERY_SLACK = Duration.ofHours(1);

    /** @param unreadable records or files skipped as not readable invocation log records */
    record Result(List<InvocationLogRecord> records, String source, long filesRead, long unreadable) {
    }

    private final List<InvocationLogRecord> records = new ArrayList<>();
    private long files;
    private long unreadable;

    private InvocationLogs() {
    }

    /** Every record stamped in the window, from a directory (searched recursively). */
    static Result fromDirectory(Path dir, ReportWindow window) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("invocation log directory " + dir + " does not exist");
        }
        InvocationLogs logs = new InvocationLogs();
        List<Path> found;
        try (Stream<Path> walk = Files.walk(dir)) {
            found = walk.filter(Files::isRegularFile).filter(f -> isLogFile(f.getFileName().toString())).sorted().toList();
        }
        for (Path file : found) {
            try (InputStream in = Files.newInputStream(file)) {
                logs.read(in, window);
            }
        }
        return logs.result(dir.toString());
    }

    /** Every record stamped in the window, from the objects under an S3 prefix whose hour folder is near it. */
    static Result fromBucket(BucketLocation location, String region, Optional<URI> endpoint,
                             AwsCredentialsProvider credentials, ReportWindow window) throws IOException {
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .httpClientBuilder(QuickClosingNettyClient.builder(NettyNioAsyncHttpClient.builder()));
        // an endpoint override is an S3-compatible store or a local fake: path-style addressing
        endpoint.ifPresentOrElse(e -> builder.endpointOverride(e).forcePathStyle(true), () -> builder.crossRegionAccessEnabled(true));
        InvocationLogs logs = new InvocationLogs();
        try (S3AsyncClient s3 = builder.build()) {
            List<String> keys = new ArrayList<>();
            s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(location.prefix()))
                    .contents().subscribe(o -> keys.add(o.key())).join();
            for (String key : keys.stream().filter(InvocationLogs::isLogFile).filter(k -> near(k, window)).sorted().toList()) {
                byte[] bytes = s3.getObject(r -> r.bucket(location.bucket()).key(key), AsyncResponseTransformer.toBytes())
                        .join().asByteArray();
                logs.read(new ByteArrayInputStream(bytes), window);
            }
        }
        return logs.result(location.toString());
    }

    private static boolean isLogFile(String name) {
        return name.endsWith(".json") || name.endsWith(".json.gz") || name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
    }

    /** Keys without an hour folder are read whatever their time. */
    private static boolean near(String key, ReportWindow window) {
        Matcher hour = HOUR.matcher(key);
        if (!hour.find()) {
            return true;
        }
        Instant start = LocalDateTime.of(Integer.parseInt(hour.group(1)), Integer.parseInt(hour.group(2)),
                Integer.parseInt(hour.group(3)), Integer.parseInt(hour.group(4)), 0).toInstant(ZoneOffset.UTC);
        return start.isBefore(window.to().plus(DELIVERY_SLACK)) && start.plus(Duration.ofHours(1)).plus(DELIVERY_SLACK).isAfter(window.from());
    }

    private void read(InputStream raw, ReportWindow window) throws IOException {
        files++;
        BufferedInputStream in = new BufferedInputStream(raw);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        // one tree per record, so nothing is bound to a class (a native image would need it registered)
        try (JsonParser parser = JSON.createParser(gzip ? new GZIPInputStream(in) : in)) {
            while (parser.nextToken() != null) {
                Optional<InvocationLogRecord> record = InvocationLogRecord.of(JSON.readTree(parser));
                if (record.isEmpty()) {
                    unreadable++;
                } else if (window.contains(record.get().timestamp())) {
                    records.add(record.get());
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            unreadable++; // the rest of a file that is not JSON records cannot be told apart
        }
    }

    private Result result(String source) {
        return new Result(List.copyOf(records), source, files, unreadable);
    }
}
