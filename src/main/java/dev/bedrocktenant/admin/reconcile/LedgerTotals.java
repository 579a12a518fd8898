package dev.bedrocktenant.admin.reconcile;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sums the usage ledger (docs/reference.md §7: JSON lines in {@code usage-YYYY-MM-DD.jsonl}) per profile ARN
 * over a window: input and output tokens of every line, and the 2xx lines as invocations. Reads the
 * lines itself, tolerating what a crash may leave (a torn last line): such lines are skipped and counted.
 */
public final class LedgerTotals {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param unreadableLines lines skipped because they were not a ledger line */
    public record Result(Map<String, ProfileTotals> byProfile, long linesInWindow, long unreadableLines) {

        public ProfileTotals of(String profileArn) {
            return byProfile.getOrDefault(profileArn, ProfileTotals.ZERO);
        }
    }

    private LedgerTotals() {
    }

    public static Result read(Path dir, ReportWindow window) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("ledger directory " + dir + " does not exist");
        }
        Map<String, ProfileTotals> totals = new HashMap<>();
        long inWindow = 0;
        long unreadable = 0;
        // a file is named by its UTC day; one day either side covers lines written across midnight
        LocalDate last = window.to().atZone(ZoneOffset.UTC).toLocalDate().plusDays(1);
        for (LocalDate day = window.from().atZone(ZoneOffset.UTC).toLocalDate().minusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
            Path file = dir.resolve("usage-" + day + ".jsonl");
            if (!Files.isRegularFile(file)) {
                continue;
            }
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Line parsed = parse(line);
                    if (parsed == null) {
                        unreadable++;
                    } else if (window.contains(parsed.ts)) {
                        inWindow++;
                        if (parsed.profileArn != null) {
                            totals.merge(parsed.profileArn, parsed.totals, ProfileTotals::plus);
                        }
                    }
                }
            }
        }
        return new Result(Map.copyOf(totals), inWindow, unreadable);
    }

    private record Line(Instant ts, String profileArn, ProfileTotals totals) {
    }

    /** @return null for anything that is not a ledger line */
    private static Line parse(String text) {
        try {
            JsonNode line = JSON.readTree(text);
            if (line == null || !line.isObject()) {
                return null;
            }
            JsonNode ts = line.get("ts");
            JsonNode status = line.get("status");
            if (ts == null || status == null || !status.canConvertToInt()) {
                return null;
            }
            Instant at = ts.isNumber() ? Instant.ofEpochMilli(ts.asLong()) : Instant.parse(ts.asText());
            JsonNode arn = line.get("profileArn");
            int code = status.asInt();
            return new Line(at, arn == null || arn.isNull() ? null : arn.asText(), new ProfileTotals(
                    line.path("inputTokens").asLong(0), line.path("outputTokens").asLong(0),
                    code >= 200 && code < 300 ? 1 : 0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
