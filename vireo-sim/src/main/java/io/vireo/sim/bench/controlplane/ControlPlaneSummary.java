package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The figures of one run: the headline ones are those of the highest create step that was sustained (of the first
 * step if none was). A figure not measured is null. {@link #json()} is the one-line summary printed last.
 *
 * @param createsPerSecond VMs reaching RUNNING per second in the highest sustained step
 * @param resyncSeconds from the restarted server's launch until every host's heartbeat was recorded by it again
 * @param serverRssMib the server JVM's resident memory at the end of the steps; {@code serverPeakRssMib} its peak
 * @param fsyncMethod how {@code fsyncP50Millis}/{@code fsyncP99Millis} were measured
 */
record ControlPlaneSummary(
        int hosts,
        int vms,
        boolean quick,
        String command,
        int serverHeapMib,
        @Nullable Double createsPerSecond,
        @Nullable Double offeredCreatesPerSecond,
        boolean sustained,
        @Nullable Double p50MutatingMillis,
        @Nullable Double p99MutatingMillis,
        @Nullable Double p99CreateToRunningMillis,
        @Nullable Double p99ListMillis,
        @Nullable Double heartbeatLagP99Millis,
        @Nullable Double resyncSeconds,
        @Nullable Double serverRssMib,
        @Nullable Double serverPeakRssMib,
        @Nullable Double serverCores,
        @Nullable Double postgresCores,
        @Nullable Double loadCores,
        @Nullable Double databaseMib,
        @Nullable Double fsyncP50Millis,
        @Nullable Double fsyncP99Millis,
        String fsyncMethod,
        @Nullable Double enrollPerSecond,
        @Nullable Double connectSeconds,
        @Nullable Double prefillCreatesPerSecond,
        @Nullable Double prefillRunningPerSecond,
        long prefillNotRunning,
        @Nullable Double serverStopSeconds,
        boolean serverKilled,
        @Nullable Double serverStartSeconds,
        @Nullable Double restartAgentsSeconds,
        List<StepOutcome> steps,
        double loadAverageAtEnd,
        double elapsedSeconds) {
    private static final ObjectMapper JSON = new ObjectMapper();

    ControlPlaneSummary {
        requireNonNull(command, "command is null");
        requireNonNull(fsyncMethod, "fsyncMethod is null");
        steps = List.copyOf(steps);
    }

    /** The step the headline figures come from: the last sustained create step, else the first create step. */
    static @Nullable StepOutcome headline(List<StepOutcome> steps) {
        StepOutcome chosen = null;
        for (StepOutcome step : steps) {
            if (step.offeredPerSecond() > 0 && step.sustained()) {
                chosen = step;
            }
        }
        if (chosen != null) {
            return chosen;
        }
        return steps.stream()
                .filter(step -> step.offeredPerSecond() > 0)
                .findFirst()
                .orElse(null);
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the summary", e);
        }
    }

    /** The section for docs/benchmarks.md, ending with the JSON summary. */
    String markdown(String machine, String cpuModel, String date, String notes) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "## Control plane: `./vireo bench control-plane` (vireo-sim), %,d hosts, %,d VMs, %s%n%n",
                hosts,
                vms,
                date));
        out.append("Machine: ")
                .append(machine)
                .append(String.format(Locale.ROOT, ", load average %.2f at the end; CPU: ", loadAverageAtEnd))
                .append(cpuModel)
                .append(".\n\n");
        out.append(String.format(
                Locale.ROOT,
                "Command: `%s` (%.0f s in total). Server: the product jar's `vireo server` (`-Xmx%dm -XX:+UseSerialGC"
                        + " -Xss512k`, as `./vireo` runs it) on its embedded PostgreSQL 17 (synchronous_commit on,"
                        + " fsync on), `--api-rate-limit 0`, admin project (no quota). Load: one other JVM with %,d real"
                        + " agents (own certificate, mutual-TLS gRPC stream, reconciler, fake driver booting in"
                        + " 100-500 ms, heartbeats every 2 s as the server asks) and open-loop HTTP clients.%n%n",
                command,
                elapsedSeconds,
                serverHeapMib,
                hosts));
        figures(out);
        steps(out);
        out.append('\n')
                .append(notes.strip())
                .append("\n\nJSON summary of this run (the last line of stdout):\n\n```json\n")
                .append(json())
                .append("\n```\n");
        return out.toString();
    }

    private void figures(StringBuilder out) {
        out.append("| figure | measured | target |\n| --- | --- | --- |\n");
        row(
                out,
                "sustained creates/s reaching RUNNING",
                number(createsPerSecond, "%,.1f")
                        + (offeredCreatesPerSecond == null
                                ? ""
                                : " (offered " + number(offeredCreatesPerSecond, "%,.0f") + ")")
                        + (sustained ? "" : ", not sustained"),
                "≥ 1,000");
        row(
                out,
                "mutating calls p50 / p99",
                millis(p50MutatingMillis) + " / " + millis(p99MutatingMillis),
                "p99 ≤ 100 ms");
        row(out, "create → RUNNING p99", millis(p99CreateToRunningMillis), "≤ 1 s");
        row(
                out,
                String.format(Locale.ROOT, "`GET /api/v1/vms?limit=1000` p99, %,d+ VMs stored", vms),
                millis(p99ListMillis),
                "≤ 100 ms");
        row(out, "heartbeat lag p99 (sent → acknowledged once recorded)", millis(heartbeatLagP99Millis), "≤ 1 s");
        row(out, "all hosts' heartbeats recorded again after a server restart", seconds(resyncSeconds), "≤ 30 s");
        row(out, "server RSS at the end / peak", mib(serverRssMib) + " / " + mib(serverPeakRssMib), "≤ 2 GiB");
        row(
                out,
                "CPU in cores: server JVM / PostgreSQL / load process",
                number(serverCores, "%.2f") + " / " + number(postgresCores, "%.2f") + " / " + number(loadCores, "%.2f"),
                "");
        row(out, "database size", mib(databaseMib), "");
        row(out, "fsync p50 / p99 (" + fsyncMethod + ")", millis(fsyncP50Millis) + " / " + millis(fsyncP99Millis), "");
        row(
                out,
                "hosts enrolled per second; all connected after",
                number(enrollPerSecond, "%,.1f") + "; " + seconds(connectSeconds),
                "");
        row(
                out,
                "prefill: creates accepted / reaching RUNNING per second",
                number(prefillCreatesPerSecond, "%,.1f")
                        + " / " + number(prefillRunningPerSecond, "%,.1f")
                        + (prefillNotRunning > 0
                                ? String.format(Locale.ROOT, " (%,d not RUNNING)", prefillNotRunning)
                                : ""),
                "");
        row(
                out,
                "restart: old server stopped in; new one answering after; every agent registered after",
                seconds(serverStopSeconds) + (serverKilled ? " (killed after SIGTERM's grace)" : "") + "; "
                        + seconds(serverStartSeconds) + "; " + seconds(restartAgentsSeconds),
                "");
        out.append('\n');
    }

    private void steps(StringBuilder out) {
        out.append("| phase | offered creates/s | creates (failed) | RUNNING/s | create p50 / p99 ms"
                + " | mutating p50 / p99 ms | create → RUNNING p50 / p99 ms (not RUNNING) | list p50 / p99 ms (n)"
                + " | heartbeat lag p50 / p99 ms | cores: server / PostgreSQL / load | sustained |\n");
        out.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (StepOutcome step : steps) {
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %,d (%,d) | %s | %s / %s | %s / %s | %s / %s (%,d) | %s / %s (%,d) | %s / %s | %s / %s / %s"
                            + " | %s |%n",
                    step.label(),
                    step.offeredPerSecond() > 0 ? number(step.offeredPerSecond(), "%,.0f") : "as fast as possible",
                    step.createsDue(),
                    step.createsFailed(),
                    number(step.runningPerSecond(), "%,.1f"),
                    number(step.p50CreateMillis(), "%,.0f"),
                    number(step.p99CreateMillis(), "%,.0f"),
                    number(step.p50MutatingMillis(), "%,.0f"),
                    number(step.p99MutatingMillis(), "%,.0f"),
                    number(step.p50CreateToRunningMillis(), "%,.0f"),
                    number(step.p99CreateToRunningMillis(), "%,.0f"),
                    step.notRunning(),
                    number(step.p50ListMillis(), "%,.0f"),
                    number(step.p99ListMillis(), "%,.0f"),
                    step.lists(),
                    number(step.heartbeatLagP50Millis(), "%,.0f"),
                    number(step.heartbeatLagP99Millis(), "%,.0f"),
                    number(step.serverCores(), "%.2f"),
                    number(step.postgresCores(), "%.2f"),
                    number(step.loadCores(), "%.2f"),
                    step.offeredPerSecond() > 0 ? (step.sustained() ? "yes" : "**no**") : "–"));
        }
    }

    private static void row(StringBuilder out, String figure, String measured, String target) {
        out.append("| ")
                .append(figure)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(target)
                .append(" |\n");
    }

    private static String number(@Nullable Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }

    private static String millis(@Nullable Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.0f ms", value);
    }

    private static String seconds(@Nullable Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.1f s", value);
    }

    private static String mib(@Nullable Double value) {
        return value == null ? "n/a" : String.format(Locale.ROOT, "%,.0f MiB", value);
    }
}
