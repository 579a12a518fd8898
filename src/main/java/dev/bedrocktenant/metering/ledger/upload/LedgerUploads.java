package dev.bedrocktenant.metering.ledger.upload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;

import dev.bedrocktenant.metering.ledger.UsageLedger;
import dev.bedrocktenant.signing.RequestSigner;
import dev.bedrocktenant.signing.SigningConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The proxy's uploader of closed ledger days, when {@code proxy.ledger.s3-uri} is set. Built at start-up, after
 * the ledger has moved what its crash journal held, so that the first round (on the uploader's own thread) finds
 * every day an earlier run left; a wrong URI or an unwritable ledger directory stops start-up.
 */
@Startup
@Singleton
public class LedgerUploads {

    private static final Logger LOG = Logger.getLogger(LedgerUploads.class);

    /** Null when off. */
    private final LedgerUploader uploader;

    @Inject
    public LedgerUploads(LedgerUploadConfig config, UsageLedger ledger, SigningConfig signing, RequestSigner signer,
                         MeterRegistry registry) {
        if (config.s3Uri().isEmpty()) {
            uploader = null;
            return;
        }
        BucketLocation location = BucketLocation.parse(config.s3Uri().get());
        UploadSchedule schedule = UploadSchedule.of(config);
        String instanceId;
        try {
            instanceId = InstanceId.of(ledger.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("ledger instance id unusable in " + ledger.dir().toAbsolutePath(), e);
        }
        String region = config.s3Region().orElse(signing.region());
        LedgerBucket bucket = LedgerBucket.open(location, region, config.s3Endpoint(), config.s3PathStyle(),
                signer.credentials(), config.uploadTimeout());
        uploader = new LedgerUploader(ledger.dir(), instanceId, bucket, ledger::caughtUp, schedule, registry,
                Clock.systemUTC()).start();
        LOG.infof("uploading ledger day files to %sdt=<day>/%s.jsonl in %s every %s (the current day every %s)%s",
                location, instanceId, region, schedule.interval(), schedule.currentDayInterval(),
                config.s3Endpoint().map(e -> " via " + e).orElse(""));
    }

    @PreDestroy
    void close() {
        if (uploader != null) {
            uploader.close();
        }
    }
}
