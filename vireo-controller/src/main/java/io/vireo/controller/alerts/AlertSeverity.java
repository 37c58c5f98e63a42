package io.vireo.controller.alerts;

import java.util.Locale;

/** How urgent an alert is: its {@code severity} label, as Alertmanager routes commonly read it. */
public enum AlertSeverity {
    /** Someone must act now: a host is down. */
    CRITICAL,
    /** Someone should look soon. */
    WARNING,
    /** Not a problem: the watchdog, whose absence is the problem. */
    NONE;

    /** The label value: {@code critical}, {@code warning} or {@code none}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
