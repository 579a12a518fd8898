package dev.bedrocktenant.budget.notify;

import io.micrometer.core.instrument.MeterRegistry;

/** One destination's sent and dropped counters, as a test reads them. */
record NotifierCounts(MeterRegistry registry, String destination) {

    double sent() {
        return registry.get(NotificationSender.SENT).tag("destination", destination).counter().count();
    }

    double dropped(String reason) {
        return registry.get(NotificationSender.DROPPED).tags("destination", destination, "reason", reason).counter().count();
    }
}
