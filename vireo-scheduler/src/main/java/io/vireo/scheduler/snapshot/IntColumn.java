package io.vireo.scheduler.snapshot;

import java.util.Objects;

/**
 * An immutable column of {@code int}s, one per host, stored in pages of {@link #PAGE_SIZE} slots. {@link #with} copies
 * the page table and the one page it touches and shares every other page with this column, so deriving a snapshot
 * after a claim costs one page per changed column, not the whole cluster.
 *
 * <p>Invariants: every page but the last holds exactly {@code PAGE_SIZE} slots, the last holds the rest, so an index
 * outside {@code 0..size()-1} fails; pages are never written after construction. Immutable and thread-safe.
 */
public final class IntColumn {
    static final int PAGE_SHIFT = LongColumn.PAGE_SHIFT;
    public static final int PAGE_SIZE = LongColumn.PAGE_SIZE;
    static final int PAGE_MASK = PAGE_SIZE - 1;

    private final int[][] pages;
    private final int size;

    /**
     * Per page, bit {@code v} set when some slot of the page holds {@code v}; all bits set when some slot holds a value
     * outside {@code 0..63}. Lets {@link #retainInMask} keep a whole page's run without reading it.
     */
    private final long[] present;

    private IntColumn(int[][] pages, int size, long[] present) {
        this.pages = pages;
        this.size = size;
        this.present = present;
    }

    private static long presentBits(int[] page) {
        long bits = 0;
        boolean outside = false;
        for (int value : page) {
            bits |= 1L << value;
            outside |= (value & ~63) != 0;
        }
        return outside ? -1L : bits;
    }

    /** A column holding a copy of {@code values}. */
    public static IntColumn of(int[] values) {
        int size = values.length;
        int[][] pages = new int[pageCount(size)][];
        for (int page = 0; page < pages.length; page++) {
            int from = page << PAGE_SHIFT;
            int length = Math.min(PAGE_SIZE, size - from);
            pages[page] = new int[length];
            System.arraycopy(values, from, pages[page], 0, length);
        }
        long[] present = new long[pages.length];
        for (int page = 0; page < pages.length; page++) {
            present[page] = presentBits(pages[page]);
        }
        return new IntColumn(pages, size, present);
    }

    /** A column of {@code size} slots, each {@code value}. */
    public static IntColumn filled(int size, int value) {
        int[] values = new int[size];
        java.util.Arrays.fill(values, value);
        return of(values);
    }

    static int pageCount(int size) {
        return (size + PAGE_MASK) >>> PAGE_SHIFT;
    }

    public int size() {
        return size;
    }

    public int get(int index) {
        return pages[index >>> PAGE_SHIFT][index & PAGE_MASK];
    }

    /**
     * Keeps, in order, the hosts of {@code hosts[0..count)} whose value {@code v} has bit {@code v} of {@code mask} set
     * (values must lie in {@code 0..63}), and returns how many that is. Runs of hosts on one page read it directly.
     */
    public int retainInMask(long mask, int[] hosts, int count) {
        int kept = 0;
        int i = 0;
        while (i < count) {
            int first = hosts[i];
            int pageNumber = first >>> PAGE_SHIFT;
            int[] page = pages[pageNumber];
            int base = first & ~PAGE_MASK;
            if ((present[pageNumber] & ~mask) == 0) {
                // Every value on this page is in the mask: keep the whole run without reading the page.
                int end = ColumnKernels.runEnd(hosts, i, count, base, page.length);
                if (kept != i) {
                    System.arraycopy(hosts, i, hosts, kept, end - i);
                }
                kept += end - i;
                i = end;
                continue;
            }
            for (; i < count; i++) {
                int host = hosts[i];
                int offset = host - base;
                if (Integer.compareUnsigned(offset, page.length) >= 0) {
                    break; // the next run starts on another page
                }
                hosts[kept] = host;
                kept += (int) ((mask >>> page[offset]) & 1L);
            }
        }
        return kept;
    }

    /**
     * Keeps, in order, the hosts of {@code hosts[0..count)} whose value {@code v} has {@code allowed[v + 1]} (values
     * must lie in {@code -1..allowed.length-2}), and returns how many that is.
     */
    public int retainAllowed(boolean[] allowed, int[] hosts, int count) {
        int kept = 0;
        int i = 0;
        while (i < count) {
            int first = hosts[i];
            int[] page = pages[first >>> PAGE_SHIFT];
            int base = first & ~PAGE_MASK;
            for (; i < count; i++) {
                int host = hosts[i];
                int offset = host - base;
                if (Integer.compareUnsigned(offset, page.length) >= 0) {
                    break; // the next run starts on another page
                }
                hosts[kept] = host;
                kept += allowed[page[offset] + 1] ? 1 : 0;
            }
        }
        return kept;
    }

    /** Writes the value of {@code hosts[i]} to {@code values[i]}, {@code i < count}, reading each run's page directly. */
    public void gather(int[] hosts, int count, double[] values) {
        int i = 0;
        while (i < count) {
            int first = hosts[i];
            int[] page = pages[first >>> PAGE_SHIFT];
            int base = first & ~PAGE_MASK;
            for (; i < count; i++) {
                int offset = hosts[i] - base;
                if (Integer.compareUnsigned(offset, page.length) >= 0) {
                    break; // the next run starts on another page
                }
                values[i] = page[offset];
            }
        }
    }

    /** This column with slot {@code index} set to {@code value}; shares all pages but one with this column. */
    public IntColumn with(int index, int value) {
        Objects.checkIndex(index, size);
        int page = index >>> PAGE_SHIFT;
        int[][] newPages = pages.clone();
        newPages[page] = pages[page].clone();
        newPages[page][index & PAGE_MASK] = value;
        long[] newPresent = present.clone();
        newPresent[page] = presentBits(newPages[page]);
        return new IntColumn(newPages, size, newPresent);
    }

    /** Whether this column and {@code other} hold the very same page {@code page} (for tests of sharing). */
    @SuppressWarnings("ReferenceEquality") // identity is the point: is the page shared or copied?
    boolean sharesPage(IntColumn other, int page) {
        return pages[page] == other.pages[page];
    }

    public int[] toArray() {
        int[] values = new int[size];
        for (int page = 0; page < pages.length; page++) {
            System.arraycopy(pages[page], 0, values, page << PAGE_SHIFT, pages[page].length);
        }
        return values;
    }
}
