package io.vireo.agent.qemu;

/**
 * Receives the QMP events of one connection. Called on the connection's reader thread, one event at a time and in
 * the order QEMU sent them: an implementation must return quickly and must not call
 * {@link QmpClient#execute(String, java.util.Map, java.time.Duration)} (the answer could never be read).
 */
@FunctionalInterface
public interface QmpEventListener {
    void onEvent(QmpEvent event);
}
