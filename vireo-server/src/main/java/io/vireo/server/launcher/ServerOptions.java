package io.vireo.server.launcher;

import io.vireo.api.http.RateLimiter;
import io.vireo.controller.ControllerSettings;
import io.vireo.controller.HaSettings;
import io.vireo.controller.NetworkService;
import io.vireo.controller.identity.IdentitySettings;
import io.vireo.model.CapacityPolicy;
import io.vireo.model.HaPolicy;
import io.vireo.model.ProjectQuota;
import io.vireo.model.QuotaResource;
import io.vireo.model.Resources;
import io.vireo.server.ServerConfig;
import io.vireo.server.tls.ApiTls;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options shared by {@code vireo up} and {@code vireo server}. */
final class ServerOptions {
    private static final Duration MAX_ADDRESS_HOLD_BACK = Duration.ofDays(1);

    @Option(names = "--data-dir", description = "Data directory (default: $VIREO_DATA_DIR or ~/.vireo).")
    @Nullable
    Path dataDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to listen on.")
    String bind = "127.0.0.1";

    @Option(names = "--api-port", defaultValue = "8080", description = "REST API port.")
    int apiPort;

    @Option(names = "--agent-port", defaultValue = "9090", description = "Port agents dial (gRPC).")
    int agentPort;

    @Option(
            names = "--scheduler-profile",
            defaultValue = "default",
            description = "Placement profile: default (spread, balanced), spread or pack.")
    String schedulerProfile = "default";

    @Option(
            names = "--max-image-size",
            defaultValue = "10737418240",
            description = "The largest image upload accepted, in bytes (default 10 GiB).")
    long maxImageBytes = 10L * 1024 * 1024 * 1024;

    @Option(
            names = "--default-quota",
            paramLabel = "RESOURCE=LIMIT[,...]",
            description = "A new project's quota, e.g. instances=10,vcpus=20,memoryMib=51200,diskGib=1000,volumes=10,"
                    + "volumeGib=1000 (those are the defaults); a resource given as 'unlimited' has no limit. Existing"
                    + " projects keep theirs: vireo quota set changes them.")
    @Nullable
    String defaultQuota;

    @Option(
            names = "--default-ha-policy",
            paramLabel = "POLICY",
            defaultValue = "restart",
            description = "The HA policy of a VM created without one: restart (elsewhere, with its disks: needs shared"
                    + " storage), restart-from-image (elsewhere; the data of local disks is lost) or none (default"
                    + " restart).")
    String defaultHaPolicy = "restart";

    @Option(
            names = "--api-rate-limit",
            defaultValue = "1000",
            description = "Requests per second each API token may send after its burst; beyond it 429 with Retry-After"
                    + " (0: no limit; default 1000).")
    double apiRateLimit = RateLimiter.Limit.DEFAULT.perSecond();

    @Option(
            names = "--api-rate-burst",
            defaultValue = "2000",
            description = "Requests each API token may send at once (default 2000).")
    int apiRateBurst = RateLimiter.Limit.DEFAULT.burst();

    @Option(
            names = "--address-hold-back-seconds",
            defaultValue = "60",
            description = "How long a port's released IPv4 address is skipped by automatic allocation, unless its"
                    + " subnet has no other (default 60; 0: reused at once).")
    long addressHoldBackSeconds = NetworkService.DEFAULT_ADDRESS_HOLD_BACK.toSeconds();

    @Option(
            names = "--api-tls-cert",
            paramLabel = "FILE",
            description =
                    "Serve the API with this PEM certificate chain (leaf first) instead of one from the cloud's CA;"
                            + " with --api-tls-key. Read at start: replace the files and restart to rotate.")
    @Nullable
    Path apiTlsCert;

    @Option(
            names = "--api-tls-key",
            paramLabel = "FILE",
            description = "The private key of --api-tls-cert (PEM, unencrypted, not readable by every user).")
    @Nullable
    Path apiTlsKey;

    @Option(
            names = "--api-tls-name",
            paramLabel = "NAME",
            split = ",",
            description = "More DNS names or addresses for the API certificate the cloud's CA issues (besides localhost"
                    + " and the addresses listened on), e.g. the name clients use.")
    List<String> apiTlsNames = new ArrayList<>();

    @Option(
            names = "--api-plain-http",
            description = "Serve the API over plain HTTP, for a TLS-terminating proxy on this machine; loopback --bind"
                    + " only.")
    boolean apiPlainHttp;

    @Option(
            names = "--alertmanager-url",
            paramLabel = "URL",
            description = "An Alertmanager (or compatible receiver) to send alerts to, e.g. http://127.0.0.1:9093;"
                    + " repeat for several.")
    List<String> alertmanagerUrls = new ArrayList<>();

    @Option(
            names = "--cpu-allocation-ratio",
            description =
                    "Default vCPU allocation ratio (overcommit) of hosts, in (0, 1000] (default ${DEFAULT-VALUE}).")
    double cpuAllocationRatio = CapacityPolicy.DEFAULTS.vcpuRatio();

    @Option(
            names = "--ram-allocation-ratio",
            description = "Default memory allocation ratio of hosts, in (0, 1000] (default ${DEFAULT-VALUE}).")
    double ramAllocationRatio = CapacityPolicy.DEFAULTS.memoryRatio();

    @Option(
            names = "--disk-allocation-ratio",
            description = "Default disk allocation ratio of hosts, in (0, 1000] (default ${DEFAULT-VALUE}).")
    double diskAllocationRatio = CapacityPolicy.DEFAULTS.diskRatio();

    @Option(
            names = "--reserved-host-vcpus",
            description = "vCPUs each host keeps for itself by default (default ${DEFAULT-VALUE}).")
    int reservedHostVcpus = CapacityPolicy.DEFAULTS.reserved().vcpus();

    @Option(
            names = "--reserved-host-memory-mib",
            description = "MiB of memory each host keeps for itself by default (default ${DEFAULT-VALUE}).")
    long reservedHostMemoryMib = CapacityPolicy.DEFAULTS.reserved().memoryMib();

    @Option(
            names = "--reserved-host-disk-gib",
            description = "GiB of disk each host keeps for itself by default (default ${DEFAULT-VALUE}).")
    long reservedHostDiskGib = CapacityPolicy.DEFAULTS.reserved().diskGib();

    /**
     * The capacity policy hosts get when they register, from the options above; an out-of-range value is an
     * IllegalArgumentException naming its option, before anything starts.
     */
    CapacityPolicy capacityDefaults() {
        requireRatio("--cpu-allocation-ratio", cpuAllocationRatio);
        requireRatio("--ram-allocation-ratio", ramAllocationRatio);
        requireRatio("--disk-allocation-ratio", diskAllocationRatio);
        requireNotNegative("--reserved-host-vcpus", reservedHostVcpus);
        requireNotNegative("--reserved-host-memory-mib", reservedHostMemoryMib);
        requireNotNegative("--reserved-host-disk-gib", reservedHostDiskGib);
        return new CapacityPolicy(
                new Resources(reservedHostVcpus, reservedHostMemoryMib, reservedHostDiskGib),
                cpuAllocationRatio,
                ramAllocationRatio,
                diskAllocationRatio);
    }

    private static void requireRatio(String option, double ratio) {
        if (!(ratio > 0 && ratio <= CapacityPolicy.MAX_ALLOCATION_RATIO)) {
            throw new IllegalArgumentException(option + " must be a number greater than 0 and at most "
                    + CapacityPolicy.MAX_ALLOCATION_RATIO + ", got " + ratio);
        }
    }

    private static void requireNotNegative(String option, long amount) {
        if (amount < 0) {
            throw new IllegalArgumentException(option + " must not be negative, got " + amount);
        }
    }

    static Path defaultDataDir(Map<String, String> environment) {
        String fromEnvironment = environment.get("VIREO_DATA_DIR");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Path.of(fromEnvironment);
        }
        return Path.of(System.getProperty("user.home"), ".vireo");
    }

    Path dataDir(Map<String, String> environment) {
        Path chosen = dataDir;
        return (chosen == null ? defaultDataDir(environment) : chosen)
                .toAbsolutePath()
                .normalize();
    }

    ServerConfig config(
            Map<String, String> environment,
            @Nullable String dbUrl,
            @Nullable String dbUser,
            @Nullable String dbPassword) {
        return new ServerConfig(
                dataDir(environment),
                bind,
                apiPort,
                agentPort,
                dbUrl,
                dbUser,
                dbPassword,
                schedulerProfile,
                ControllerSettings.defaults()
                        .withCapacityDefaults(capacityDefaults())
                        .withHa(HaSettings.DEFAULTS.withDefaultPolicy(
                                new HaPolicy(haMode(defaultHaPolicy), HaPolicy.MIN_PRIORITY))),
                maxImageBytes,
                new RateLimiter.Limit(apiRateLimit, apiRateBurst),
                defaultQuota(defaultQuota),
                apiTls(),
                addressHoldBack(),
                alertmanagerUrls());
    }

    /** {@code --address-hold-back-seconds}: 0 to a day. */
    Duration addressHoldBack() {
        if (addressHoldBackSeconds < 0 || addressHoldBackSeconds > MAX_ADDRESS_HOLD_BACK.toSeconds()) {
            throw new IllegalArgumentException("--address-hold-back-seconds must be 0.."
                    + MAX_ADDRESS_HOLD_BACK.toSeconds() + ", got " + addressHoldBackSeconds);
        }
        return Duration.ofSeconds(addressHoldBackSeconds);
    }

    /** {@code --alertmanager-url}: absolute http or https URLs, checked before anything starts. */
    List<URI> alertmanagerUrls() {
        List<URI> urls = new ArrayList<>();
        for (String text : alertmanagerUrls) {
            URI url;
            try {
                url = new URI(text.strip());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--alertmanager-url " + text + " is not a URL: " + e.getMessage());
            }
            String scheme = url.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw new IllegalArgumentException(
                        "--alertmanager-url " + text + " must be an http:// or https:// URL with a host");
            }
            urls.add(url);
        }
        return urls;
    }

    /** {@code --api-tls-cert}, {@code --api-tls-key}, {@code --api-tls-name} and {@code --api-plain-http}. */
    ApiTls apiTls() {
        Path cert = apiTlsCert;
        Path key = apiTlsKey;
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--api-tls-cert and --api-tls-key go together");
        }
        if (apiPlainHttp && (cert != null || !apiTlsNames.isEmpty())) {
            throw new IllegalArgumentException(
                    "--api-plain-http serves no certificate: drop --api-tls-cert, --api-tls-key"
                            + " and --api-tls-name");
        }
        if (apiPlainHttp) {
            return new ApiTls.PlainHttp();
        }
        if (cert != null && key != null) {
            if (!apiTlsNames.isEmpty()) {
                throw new IllegalArgumentException("--api-tls-name is for the CA's certificate: your certificate"
                        + " (--api-tls-cert) carries its own names");
            }
            return new ApiTls.OperatorSupplied(cert.toAbsolutePath(), key.toAbsolutePath());
        }
        return new ApiTls.CaIssued(apiTlsNames.stream().map(String::strip).toList());
    }

    /** {@code --default-ha-policy}: restart, restart-from-image or none. */
    static HaPolicy.Mode haMode(String option) {
        return switch (option) {
            case "restart" -> HaPolicy.Mode.RESTART;
            case "restart-from-image" -> HaPolicy.Mode.RESTART_FROM_IMAGE;
            case "none" -> HaPolicy.Mode.NONE;
            default ->
                throw new IllegalArgumentException(
                        "--default-ha-policy must be restart, restart-from-image or none, got '" + option + "'");
        };
    }

    /** {@code --default-quota}: the defaults, with the resources named changed. */
    static Map<QuotaResource, Long> defaultQuota(@Nullable String option) {
        Map<QuotaResource, Long> quota = new EnumMap<>(QuotaResource.class);
        quota.putAll(IdentitySettings.DEFAULT_QUOTA);
        if (option == null || option.isBlank()) {
            return quota;
        }
        for (String item : option.split(",", -1)) {
            String[] pair = item.trim().split("=", -1);
            QuotaResource resource = pair.length != 2
                    ? null
                    : QuotaResource.byKey(pair[0].trim()).orElse(null);
            if (resource == null) {
                throw new IllegalArgumentException("--default-quota: '" + item.trim()
                        + "' is not RESOURCE=LIMIT with RESOURCE one of instances, vcpus, memoryMib, diskGib,"
                        + " volumes, volumeGib");
            }
            String value = pair[1].trim();
            if (value.equals("unlimited")) {
                quota.remove(resource);
                continue;
            }
            try {
                long limit = Long.parseLong(value);
                ProjectQuota.requireLimit(resource, limit);
                quota.put(resource, limit);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--default-quota: " + resource.key() + " must be 0-"
                        + ProjectQuota.MAX_LIMIT + " or 'unlimited', got '" + value + "'");
            }
        }
        return quota;
    }
}
