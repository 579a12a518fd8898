package dev.bedrocktenant.metering.cloudwatch;



/** One CloudWatch series of this exporter: its TenantId and ModelId dimensions. */
public record SeriesKey(String tenant, String model) {
}
