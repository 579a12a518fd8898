package dev.bedrocktenant.profile;

import java.util.Optional;

/**
 * The answer to "which profile does this tenant have for this model?" when it was not known yet.
 *
 * @param entry   the profile, when one was found or created
 * @param failure why the control plane could not answer (outage, throttling, denied…), when it could not
 */
public record ProfileLookup(Optional<ProfileCatalog.Entry> entry, Optional<String> failure) {

    static ProfileLookup found(ProfileCatalog.Entry entry) {
        return new ProfileLookup(Optional.of(entry), Optional.empty());
    }

    static ProfileLookup notFound() {
        return new ProfileLookup(Optional.empty(), Optional.empty());
    }

    static ProfileLookup failed(String why) {
        return new ProfileLookup(Optional.empty(), Optional.of(why));
    }
}
