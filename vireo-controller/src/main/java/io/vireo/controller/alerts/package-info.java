/**
 * Alerts (ADR 24): rules over the cluster's state with a for-duration, labels and annotations; the pure evaluator
 * that moves alerts inactive → pending → firing → resolved; the service the server runs every evaluation interval,
 * which keeps the active alerts in the store, records each firing and resolve as an event and hands what receivers
 * must hear to a notifier port.
 */
@NullMarked
package io.vireo.controller.alerts;

import org.jspecify.annotations.NullMarked;
