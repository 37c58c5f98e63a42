package io.vireo.sim.simulation;

import java.util.Locale;

/** The faults the simulator injects; {@code --faults} names them in lower case with dashes. */
enum FaultKind {
    /** The agent process dies and restarts later: its memory is lost, its state directory and its VMs kept. */
    AGENT_CRASH,
    /** The host loses power: the agent and every VM on it are gone; the host boots again later. */
    POWER_LOSS,
    /** Messages from the host to the server are lost for a while (the stream breaks; reconnects fail). */
    PARTITION_TO_SERVER,
    /** Messages from the server to the host are lost for a while. */
    PARTITION_TO_HOST,
    /** Every message on one host's stream is delayed for a while (order within the stream kept). */
    MESSAGE_DELAY,
    /** A message is delivered twice. */
    MESSAGE_DUPLICATE,
    /** A stream breaks: messages in flight are lost and the agent reconnects. */
    STREAM_BREAK,
    /** A host's driver operations take ten times as long for a while. */
    SLOW_HOST,
    /** A host's clock jumps ahead or behind by up to a minute. */
    CLOCK_SKEW,
    /** The server process dies (its memory lost, the store kept) and restarts later. */
    SERVER_CRASH,
    /** A store write fails: nothing was written. */
    STORE_WRITE_FAILS,
    /** A store write is committed but reports a failure: the caller cannot know it happened. */
    STORE_OUTCOME_UNKNOWN,
    /** Concurrent operations pause at their store calls and interleave (a race between a read and a later write). */
    INTERLEAVING;

    String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static FaultKind parse(String flag) {
        for (FaultKind kind : values()) {
            if (kind.flag().equals(flag)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + flag + "'");
    }
}
