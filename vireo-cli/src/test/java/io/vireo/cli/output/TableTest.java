package io.vireo.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class TableTest {
    record Row(String name, @Nullable Integer count, String note) {}

    private final Table<Row> table =
            Table.of(Column.of("NAME", Row::name), Column.of("COUNT", Row::count), Column.of("NOTE", Row::note));

    @Test
    void columnsAreAlignedOnTheWidestCellAndTheLastIsNotPadded() {
        String text = table.render(List.of(new Row("a", 1, "x"), new Row("longer-name", 12345, "")));

        assertThat(text).isEqualTo("""
                        NAME          COUNT   NOTE
                        a             1       x
                        longer-name   12345
                        """);
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertThat(table.render(List.of())).isEqualTo("NAME   COUNT   NOTE\n");
    }

    @Test
    void missingValuesPrintAsADashAndControlCharactersAsQuestionMarks() {
        String text = table.render(List.of(new Row("multi\nline", null, "bell\u0007\u009b")));

        assertThat(text).isEqualTo("NAME         COUNT   NOTE\nmulti?line   -       bell??\n");
    }

    @Test
    void detailsAlignValuesAfterTheLongestLabel() {
        String text =
                new Details().add("Name", "web-1").add("Desired state", null).render();

        assertThat(text).isEqualTo("Name:            web-1\nDesired state:   -\n");
    }
}
