package io.vireo.controller.alerts;

import java.util.List;

/**
 * Where alerts go: the receivers (Alertmanager-compatible URLs). {@link #send} must not block on the network: the
 * evaluation that calls it never waits for a receiver, and a receiver's failure is the notifier's to log and count.
 */
@FunctionalInterface
public interface AlertNotifier {
    /** A notifier that tells no one: for a server with no receiver configured, and tests. */
    AlertNotifier NONE = notices -> {};

    void send(List<AlertNotice> notices);
}
