package dev.bedrocktenant.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The tenants currently in force: loaded at start-up, then reloaded whenever the tenants file changes,
 * without a restart. A file that does not parse leaves the last good tenants in place.
 */
@ApplicationScoped
public class TenantDirectory {

    private static final Logger LOG = Logger.getLogger(TenantDirectory.class);

    /** What identifies a version of the file without reading it; fileKey catches an atomic rename. */
    private record Stamp(Object modified, long size, Object fileKey) {
        static final Stamp ABSENT = new Stamp(null, -1, null);
    }

    private final Vertx vertx;
    private final Path file;
    private final Duration interval;
    private final UnknownTenantPolicy unknownTenant;
    private final TenantsFile parser;
    private final AtomicBoolean polling = new AtomicBoolean();
    private volatile Tenants current = Tenants.EMPTY;
    private volatile Stamp loaded = Stamp.ABSENT;
    private volatile long timerId = -1;

    @Inject
    public TenantDirectory(Vertx vertx, TenantConfig config) {
        this(vertx, Path.of(config.tenantsFile()), config.tenantsReloadInterval(),
                UnknownTenantPolicy.parse(config.unknownTenant()), new TenantsFile());
    }

    public TenantDirectory(Vertx vertx, Path file, Duration interval, UnknownTenantPolicy unknownTenant, TenantsFile parser) {
        this.vertx = vertx;
        this.file = file;
        this.interval = interval;
        this.unknownTenant = unknownTenant;
        this.parser = parser;
    }

    /** A fixed set of tenants, never reloaded: for tests of what reads the directory. */
    public static TenantDirectory of(Tenants tenants) {
        TenantDirectory directory = new TenantDirectory(null, null, Duration.ZERO, UnknownTenantPolicy.REJECT, new TenantsFile());
        directory.current = tenants;
        return directory;
    }

    public Tenants current() {
        return current;
    }

    void onStart(@Observes StartupEvent event) {
        start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Loads the file on the calling thread (start-up, not an event loop) and starts watching it.
     *
     * @throws InvalidTenantsFile    when the file exists but is invalid: better not to start than to run without tenants
     * @throws IllegalStateException when proxy.unknown-tenant names a tenant the file does not define
     */
    public void start() {
        Stamp stamp = stampOf(file);
        if (stamp == Stamp.ABSENT) {
            LOG.warnf("tenants file %s does not exist: no tenants until it is created (proxy.tenants-file)", file.toAbsolutePath());
        } else {
            install(parser.read(file), stamp);
        }
        unknownTenant.defaultTenant().filter(t -> current.byId(t).isEmpty()).ifPresent(t -> {
            throw new IllegalStateException("proxy.unknown-tenant=default:" + t + " names a tenant that "
                    + file + " does not define");
        });
        long millis = Math.max(1, interval.toMillis());
        timerId = vertx.setPeriodic(millis, id -> poll());
    }

    public void stop() {
        if (timerId >= 0 && vertx != null) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** On the event loop: hands the file system work to a worker, one check at a time. */
    private void poll() {
        if (!polling.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(() -> {
            reloadIfChanged();
            return null;
        }, false).onComplete(done -> {
            polling.set(false);
            if (done.failed()) {
                LOG.warnf("checking tenants file %s failed: %s", file, done.cause().toString());
            }
        });
    }

    private void reloadIfChanged() {
        Stamp stamp = stampOf(file);
        if (stamp.equals(loaded)) {
            return;
        }
        // remember the stamp even when the file is bad: one warning per change, not one per poll
        loaded = stamp;
        if (stamp == Stamp.ABSENT) {
            LOG.warnf("tenants file %s has disappeared; keeping the %d tenants loaded before", file, current.size());
            return;
        }
        try {
            Tenants tenants = parser.read(file);
            Optional<String> problem = requireDefaultTenant(tenants);
            if (problem.isPresent()) {
                LOG.warnf("tenants file not reloaded, keeping the %d tenants loaded before: %s", current.size(), problem.get());
                return;
            }
            install(tenants, stamp);
        } catch (InvalidTenantsFile e) {
            LOG.warnf("tenants file not reloaded, keeping the %d tenants loaded before: %s", current.size(), e.getMessage());
        }
    }

    private void install(Tenants tenants, Stamp stamp) {
        current = tenants;
        loaded = stamp;
        LOG.infof("tenants file %s loaded: %d tenants", file, tenants.size());
    }

    private Optional<String> requireDefaultTenant(Tenants tenants) {
        return unknownTenant.defaultTenant().filter(t -> tenants.byId(t).isEmpty())
                .map(t -> file + " does not define tenant " + t + ", which proxy.unknown-tenant=default:" + t + " needs");
    }

    private static Stamp stampOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), ""));
        } catch (NoSuchFileException e) {
            return Stamp.ABSENT;
        } catch (IOException e) {
            throw new InvalidTenantsFile("tenants file " + file + " cannot be read: " + e);
        }
    }
}
