package io.vireo.sim.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcFilesTest {
    private static final String STATUS = """
            Name:\tjava
            State:\tS (sleeping)
            VmPeak:\t 8123456 kB
            VmHWM:\t 1234567 kB
            VmRSS:\t  987654 kB
            Threads:\t123
            """;

    @Test
    void readsResidentMemoryAndItsPeakFromStatus() {
        assertThat(ProcFiles.statusKib(STATUS, "VmRSS")).hasValue(987_654);
        assertThat(ProcFiles.statusKib(STATUS, "VmHWM")).hasValue(1_234_567);
        assertThat(ProcFiles.statusKib(STATUS, "VmSwap")).isEqualTo(OptionalLong.empty());
    }

    @Test
    void readsCpuTicksFromStatEvenWhenTheCommandHasSpacesAndParentheses() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        // ...
        String stat = "4242 (post gres: (vireo)) S 1 4242 4242 0 -1 4194560 500 0 0 0 1200 300 40 2 20 0 1 0 99 0";

        assertThat(ProcFiles.cpuTicks(stat, false)).isEqualTo(1_500);
        assertThat(ProcFiles.cpuTicks(stat, true)).isEqualTo(1_542);
    }

    @Test
    void readsThisProcess() {
        ProcFiles.Sample self = ProcFiles.read(ProcessHandle.current().pid()).orElseThrow();

        assertThat(self.rssKib()).isPositive();
        assertThat(self.peakRssKib()).isGreaterThanOrEqualTo(self.rssKib());
        assertThat(ProcFiles.read(Long.MAX_VALUE)).as("no such process").isEmpty();
    }
}
