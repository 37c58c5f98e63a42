package io.vireo.scheduler.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LongColumnTest {
    private static final int SIZE = LongColumn.PAGE_SIZE * 3 + 5;

    @Test
    void writeCopiesOnlyTheTouchedPage() {
        long[] values = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            values[i] = i;
        }
        LongColumn before = LongColumn.of(values);

        LongColumn after = before.with(LongColumn.PAGE_SIZE + 7, -1);

        assertThat(after.get(LongColumn.PAGE_SIZE + 7)).isEqualTo(-1);
        assertThat(before.get(LongColumn.PAGE_SIZE + 7)).isEqualTo(LongColumn.PAGE_SIZE + 7);
        assertThat(after.sharesPage(before, 0)).isTrue();
        assertThat(after.sharesPage(before, 1)).isFalse();
        assertThat(after.sharesPage(before, 2)).isTrue();
        assertThat(after.sharesPage(before, 3)).isTrue();
        values[LongColumn.PAGE_SIZE + 7] = -1;
        assertThat(after.toArray()).isEqualTo(values);
    }

    @Test
    void lastPageHoldsOnlyTheRest() {
        LongColumn column = LongColumn.filled(SIZE, 3);

        assertThat(column.get(SIZE - 1)).isEqualTo(3);
        assertThatThrownBy(() -> column.get(SIZE)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> column.with(SIZE, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void emptyColumn() {
        assertThat(LongColumn.of(new long[0]).toArray()).isEmpty();
        assertThat(IntColumn.of(new int[0]).size()).isZero();
    }

    @Test
    void intColumnSharesPagesToo() {
        IntColumn before = IntColumn.of(new int[SIZE]);

        IntColumn after = before.with(SIZE - 1, 9);

        assertThat(after.get(SIZE - 1)).isEqualTo(9);
        assertThat(before.get(SIZE - 1)).isZero();
        assertThat(after.sharesPage(before, 0)).isTrue();
        assertThat(after.sharesPage(before, 3)).isFalse();
    }
}
