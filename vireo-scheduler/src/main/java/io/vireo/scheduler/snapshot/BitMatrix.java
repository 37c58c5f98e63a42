package io.vireo.scheduler.snapshot;

import java.util.BitSet;

/**
 * One bitset per host over the indexes of a {@link Catalog} (traits, aggregates), stored flat: host {@code h} owns the
 * words {@code h * wordsPerHost() .. h * wordsPerHost() + wordsPerHost() - 1}, bit {@code i} of the set is bit
 * {@code i % 64} of word {@code i / 64}.
 *
 * <p>Invariants: {@code wordsPerHost() == ceil(bits / 64)}; the array is private and never written after construction.
 * Immutable and thread-safe.
 */
public final class BitMatrix {
    private final long[] words;
    private final int wordsPerHost;
    private final int hostCount;

    private BitMatrix(long[] words, int wordsPerHost, int hostCount) {
        this.words = words;
        this.wordsPerHost = wordsPerHost;
        this.hostCount = hostCount;
    }

    /** {@code bits[h]} holds the catalog indexes host {@code h} has; each index must be below {@code width}. */
    public static BitMatrix of(BitSet[] bits, int width) {
        int wordsPerHost = wordsFor(width);
        long[] words = new long[bits.length * wordsPerHost];
        for (int host = 0; host < bits.length; host++) {
            if (bits[host].length() > width) {
                throw new IllegalArgumentException("host " + host + " has a bit beyond width " + width);
            }
            long[] hostWords = bits[host].toLongArray();
            System.arraycopy(hostWords, 0, words, host * wordsPerHost, hostWords.length);
        }
        return new BitMatrix(words, wordsPerHost, bits.length);
    }

    /** How many words a set over {@code width} bits needs. */
    public static int wordsFor(int width) {
        return (width + 63) >>> 6;
    }

    public int hostCount() {
        return hostCount;
    }

    public int wordsPerHost() {
        return wordsPerHost;
    }

    /** Word {@code word} of host {@code host}'s set. */
    public long word(int host, int word) {
        return words[host * wordsPerHost + word];
    }

    public boolean has(int host, int bit) {
        return (words[host * wordsPerHost + (bit >>> 6)] & (1L << bit)) != 0;
    }

    /** The catalog indexes host {@code host} has, as a fresh BitSet. */
    public BitSet bits(int host) {
        long[] hostWords = new long[wordsPerHost];
        System.arraycopy(words, host * wordsPerHost, hostWords, 0, wordsPerHost);
        return BitSet.valueOf(hostWords);
    }
}
