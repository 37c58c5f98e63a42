package io.vireo.agent.usage;

import static java.util.Objects.requireNonNull;

import io.vireo.agent.hypervisor.HypervisorDriver;
import io.vireo.model.VmStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the driver's VMs once per heartbeat and fills in each VM's CPU share from the previous sample: the growth of
 * its vCPU time over the time between the samples, in percent of all its vCPUs. The first sample of a guest process
 * (or one whose CPU time went backwards: a new process) has no share. A driver that reports the share itself (the fake
 * driver) keeps its own. At most {@code maxVms} samples are returned per call.
 *
 * <p>The heartbeat calls {@link #latestAndRefresh()}: it gets the samples of the last completed round while the next
 * round runs on its own virtual thread, so that a driver that blocks (a QEMU that does not answer QMP within its
 * timeout) delays the metrics, never the heartbeat. Samples are therefore one heartbeat old; each carries its own
 * {@code sampledAt}.
 *
 * <p>Threading: {@link #sample()} is not thread-safe (it keeps the previous samples); {@link #latestAndRefresh()} is,
 * and runs at most one round at a time.
 */
public final class VmMetricsSampler {
    /** The most VMs one heartbeat carries samples of. */
    public static final int DEFAULT_MAX_VMS = 4096;

    private static final Logger log = LoggerFactory.getLogger(VmMetricsSampler.class);
    private static final double PERCENT = 100;

    private final HypervisorDriver driver;
    private final int maxVms;
    private final Map<UUID, VmStats> previous = new HashMap<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile List<VmStats> latest = List.of();
    private volatile boolean warned;

    public VmMetricsSampler(HypervisorDriver driver, int maxVms) {
        this.driver = requireNonNull(driver, "driver is null");
        if (maxVms < 1) {
            throw new IllegalArgumentException("maxVms must be positive");
        }
        this.maxVms = maxVms;
    }

    /**
     * The samples of the last completed round (empty before the first), starting the next round in the background
     * unless one is still running.
     */
    public List<VmStats> latestAndRefresh() {
        if (refreshing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("vireo-vm-metrics").start(() -> {
                try {
                    latest = sample();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return latest;
    }

    /** The samples of the last completed round, without starting one: what the agent's {@code /metrics} shows. */
    public List<VmStats> latest() {
        return latest;
    }

    /** One sample per VM whose guest process exists; empty (and logged once) if the driver cannot be sampled. */
    public List<VmStats> sample() {
        List<VmStats> raw;
        try {
            raw = driver.metrics();
        } catch (RuntimeException e) {
            if (!warned) {
                warned = true;
                log.warn("Cannot sample VM metrics: {}", e.toString());
            }
            return List.of();
        }
        Map<UUID, VmStats> latest = new HashMap<>();
        List<VmStats> samples = new ArrayList<>(Math.min(raw.size(), maxVms));
        for (VmStats sample : raw) {
            if (samples.size() >= maxVms) {
                break;
            }
            VmStats withShare = withCpuShare(sample, previous.get(sample.vmId()));
            latest.put(sample.vmId(), sample);
            samples.add(withShare);
        }
        previous.clear();
        previous.putAll(latest);
        return List.copyOf(samples);
    }

    /** {@code sample} with its CPU share computed from {@code before}, where the driver did not set one. */
    static VmStats withCpuShare(VmStats sample, @org.jspecify.annotations.Nullable VmStats before) {
        if (sample.cpu().percent() != null || before == null || sample.cpu().vcpus() == 0) {
            return sample;
        }
        long cpuMillis = sample.cpu().timeMillis() - before.cpu().timeMillis();
        long wallMillis =
                Duration.between(before.sampledAt(), sample.sampledAt()).toMillis();
        if (cpuMillis < 0 || wallMillis <= 0) {
            return sample;
        }
        double percent =
                PERCENT * cpuMillis / ((double) wallMillis * sample.cpu().vcpus());
        return sample.withCpuPercent(Math.clamp(percent, 0, PERCENT));
    }
}
