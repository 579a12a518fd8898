package dev.bedrocktenant.tenant;

import java.util.regex.Pattern;

/** What a tenant id may look like: it travels in headers, metric labels and ledger file names. */
final class TenantIds {

    static final String RULE = "a tenant id is 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private TenantIds() {
    }

    static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
