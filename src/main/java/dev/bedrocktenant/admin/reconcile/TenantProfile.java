package dev.bedrocktenant.admin.reconcile;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import dev.bedrocktenant.tenant.Tenant;
import dev.bedrocktenant.tenant.TenantsFile;

/** One tenant's application inference profile, as its tenants file {@code profiles} map names it. */
public record TenantProfile(String tenant, String profileArn) {

    /** Every (tenant, profile) of the file, sorted; a profile listed under several models counts once. */
    public static List<TenantProfile> readAll(Path tenantsFile) {
        // reconcile reads only profiles: the signing secrets a file may ask for are not needed here
        TenantsFile reader = new TenantsFile(env -> Optional.of("unused-by-reconcile"));
        TreeSet<TenantProfile> profiles = new TreeSet<>((a, b) -> a.tenant.equals(b.tenant)
                ? a.profileArn.compareTo(b.profileArn) : a.tenant.compareTo(b.tenant));
        for (Tenant tenant : reader.read(tenantsFile).all()) {
            tenant.profiles().values().forEach(arn -> profiles.add(new TenantProfile(tenant.id(), arn)));
        }
        return List.copyOf(profiles);
    }
}
