package io.vireo.scheduler.snapshot;

import java.util.Objects;

/**
 * An immutable column of {@code long}s, one per host, stored in pages of {@link #PAGE_SIZE} slots. {@link #with} copies
 * the page table and the one page it touches and shares every other page with this column, so deriving a snapshot
 * after a claim costs one page per changed column, not the whole cluster.
 *
 * <p>Invariants: every page but the last holds exactly {@code PAGE_SIZE} slots, the last holds the rest, so an index
 * outside {@code 0..size()-1} fails; pages are never written after construction. Immutable and thread-safe.
 */
public final class LongColumn {
    static final int PAGE_SHIFT = 10;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private final long[][] pages;
    private final int size;

    private LongColumn(long[][] pages, int size) {
        this.pages = pages;
        this.size = size;
    }

    /** A column holding a copy of {@code values}. */
    public static LongColumn of(long[] values) {
        int size = values.length;
        long[][] pages = new long[pageCount(size)][];
        for (int page = 0; page < pages.length; page++) {
            int from = page << PAGE_SHIFT;
            int length = Math.min(PAGE_SIZE, size - from);
            pages[page] = new long[length];
            System.arraycopy(values, from, pages[page], 0, length);
        }
        return new LongColumn(pages, size);
    }

    /** A column of {@code size} slots, each {@code value}. */
    public static LongColumn filled(int size, long value) {
        long[] values = new long[size];
        java.util.Arrays.fill(values, value);
        return of(values);
    }

    static int pageCount(int size) {
        return (size + PAGE_MASK) >>> PAGE_SHIFT;
    }

    public int size() {
        return size;
    }

    public long get(int index) {
        return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
    }

    /**
     * Keeps, in order, the hosts of {@code hosts[0..count)} whose value is at least {@code min}, and returns how many
     * that is. One tight loop: each run of hosts on one page reads that page directly, without the page table.
     */
    public int retainAtLeast(long min, int[] hosts, int count) {
        int kept = 0;
        int i = 0;
        while (i < count) {
            int first = hosts[i];
            long[] page = pages[first >>> PAGE_SHIFT];
            int base = first & ~PAGE_MASK;
            for (; i < count; i++) {
                int host = hosts[i];
                int offset = host - base;
                if (Integer.compareUnsigned(offset, page.length) >= 0) {
                    break; // the next run starts on another page
                }
                hosts[kept] = host;
                kept += page[offset] >= min ? 1 : 0;
            }
        }
        return kept;
    }

    /** Page {@code page}, for the snapshot's kernels only: never written. */
    long[] page(int page) {
        return pages[page];
    }

    /** This column with slot {@code index} set to {@code value}; shares all pages but one with this column. */
    public LongColumn with(int index, long value) {
        Objects.checkIndex(index, size);
        int page = index >>> PAGE_SHIFT;
        long[][] newPages = pages.clone();
        newPages[page] = pages[page].clone();
        newPages[page][index & PAGE_MASK] = value;
        return new LongColumn(newPages, size);
    }

    /** Whether this column and {@code other} hold the very same page {@code page} (for tests of sharing). */
    @SuppressWarnings("ReferenceEquality") // identity is the point: is the page shared or copied?
    boolean sharesPage(LongColumn other, int page) {
        return pages[page] == other.pages[page];
    }

    public long[] toArray() {
        long[] values = new long[size];
        for (int page = 0; page < pages.length; page++) {
            System.arraycopy(pages[page], 0, values, page << PAGE_SHIFT, pages[page].length);
        }
        return values;
    }
}
