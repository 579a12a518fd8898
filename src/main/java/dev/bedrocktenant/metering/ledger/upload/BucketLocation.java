package dev.bedrocktenant.metering.ledger.upload;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;

/**
 * Where a fleet's ledgers go: {@code s3://bucket/prefix}. A day file of one proxy becomes
 * {@code prefix/dt=2026-12-03/<instance id>.jsonl}: one folder per UTC day (a Hive-style partition, so Athena
 * reads only the days a query asks for), one object per proxy and day, named the same on every upload of that
 * day, so that uploading again replaces it rather than adding a second copy.
 *
 * @param prefix empty, or ending with '/'
 */
public record BucketLocation(String bucket, String prefix) {

    /** @throws IllegalArgumentException for anything but {@code s3://bucket[/prefix]} */
    public static BucketLocation parse(String s3Uri) {
        URI uri;
        try {
            uri = new URI(s3Uri.strip());
        } catch (URISyntaxException e) {
            throw invalid(s3Uri);
        }
        if (!"s3".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null) {
            throw invalid(s3Uri);
        }
        String prefix = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        return new BucketLocation(uri.getHost(), prefix);
    }

    /** The object key of one proxy's file of {@code day}. */
    public String keyOf(LocalDate day, String instanceId) {
        return prefix + "dt=" + day + "/" + instanceId + ".jsonl";
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }

    private static IllegalArgumentException invalid(String s3Uri) {
        return new IllegalArgumentException("proxy.ledger.s3-uri must be s3://bucket or s3://bucket/prefix, not '" + s3Uri + "'");
    }
}
