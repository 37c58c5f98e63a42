package io.vireo.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vireo.controller.alerts.AlertRule;
import io.vireo.controller.alerts.AlertSettings;
import io.vireo.controller.alerts.BuiltInAlertRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docs/prometheus/vireo-alerts.yml}, the built-in rules as Prometheus rules: it names the server's rules with
 * their for-durations and severities, {@code promtool check rules} passes, and {@code promtool test rules} shows each
 * PromQL twin firing on the scenario the server's own rule fires on, after the same for-duration. In CI a missing
 * {@code promtool} (Debian's {@code prometheus}) fails the test.
 */
class PrometheusRulesFileTest {
    private static final Path RULES = Path.of("..", "docs", "prometheus", "vireo-alerts.yml");
    private static final Pattern RULE = Pattern.compile(
            "- alert: (\\w+)\\n.*?\\n\\s+for: (\\d+)([sm])\\n\\s+labels:\\n\\s+severity: (\\w+)", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void theFileHasTheServersRulesWithTheirForDurationsAndSeverities() throws IOException {
        Map<String, String> inFile = new LinkedHashMap<>();
        Matcher rule = RULE.matcher(Files.readString(RULES));
        while (rule.find()) {
            Duration forDuration = rule.group(3).equals("m")
                    ? Duration.ofMinutes(Long.parseLong(rule.group(2)))
                    : Duration.ofSeconds(Long.parseLong(rule.group(2)));
            inFile.put(rule.group(1), forDuration + " " + rule.group(4));
        }
        Map<String, String> builtIn = new LinkedHashMap<>();
        for (AlertRule builtInRule : BuiltInAlertRules.of(AlertSettings.DEFAULTS)) {
            builtIn.put(
                    builtInRule.name(),
                    builtInRule.forDuration() + " " + builtInRule.severity().label());
        }
        assertThat(inFile).containsExactlyEntriesOf(builtIn);
    }

    @Test
    void promtoolChecksAndTestsTheRules() throws Exception {
        assumeThat(onPath("promtool"))
                .as("promtool is installed (apt-get install prometheus)")
                .isTrue();
        assertThat(promtool("check", "rules", RULES.toString())).contains("SUCCESS: 5 rules found");

        Files.copy(RULES, dir.resolve("vireo-alerts.yml"));
        try (var tests = PrometheusRulesFileTest.class.getResourceAsStream("/prometheus/vireo-alerts-test.yml")) {
            Files.copy(java.util.Objects.requireNonNull(tests, "test file"), dir.resolve("vireo-alerts-test.yml"));
        }
        assertThat(promtool(
                        "test", "rules", dir.resolve("vireo-alerts-test.yml").toString()))
                .contains("SUCCESS");
    }

    private static String promtool(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("promtool"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static boolean onPath(String command) {
        return List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream()
                .anyMatch(path -> !path.isEmpty() && Files.isExecutable(Path.of(path, command)));
    }
}
