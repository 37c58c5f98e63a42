package io.vireo.agent.hypervisor;

/** A driver operation failed; the message is fit to show the VM's owner. */
public class HypervisorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HypervisorException(String message) {
        super(message);
    }

    public HypervisorException(String message, Throwable cause) {
        super(message, cause);
    }
}
