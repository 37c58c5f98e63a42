package io.vireo.sim.bench.controlplane;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The REST calls of the load: creates of {@code tiny} {@code test-guest} VMs, and a steady mix of list, show, stop,
 * start and delete on the VMs made before the steps (the prefill), so that the VMs whose create to RUNNING is measured
 * are never touched by the mix. Each call records into the {@link StepRecorder} of the phase it was due in; latencies
 * run from the due time. Failed calls are counted by method, path and status ({@link #failures}).
 *
 * <p>Thread-safe: calls run on many request threads at once.
 */
final class LoadMix {
    static final String FLAVOR = "tiny";
    static final String IMAGE = "test-guest";
    /** {@code GET /api/v1/vms?limit=} this: the list whose p99 is reported. */
    static final int LIST_LIMIT = 1000;

    private final ApiClient api;
    private final NanoWallClock wall;
    private final RandomGenerator random;
    private final ReentrantLock randomLock = new ReentrantLock();
    private final AtomicLong names = new AtomicLong();
    private final AtomicLong mixCalls = new AtomicLong();
    private final List<UUID> prefill = new ArrayList<>();
    private final ConcurrentLinkedDeque<UUID> running = new ConcurrentLinkedDeque<>();
    private final ConcurrentLinkedDeque<UUID> stopped = new ConcurrentLinkedDeque<>();
    private final Set<UUID> deleted = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();

    LoadMix(ApiClient api, NanoWallClock wall, RandomGenerator random) {
        this.api = requireNonNull(api, "api is null");
        this.wall = requireNonNull(wall, "wall is null");
        this.random = requireNonNull(random, "random is null");
    }

    /**
     * Creates {@code count} VMs as fast as the server takes them: {@code concurrency} clients, each sending its next
     * create when the last is answered (closed loop), each create a gang of {@code gangSize} VMs ({@code "count"} in
     * {@code POST /api/v1/vms}: one request, one placement decision, one claim transaction). They make up the pool the
     * mix works on.
     */
    void prefill(int count, int gangSize, int concurrency, ExecutorService executor, StepRecorder step)
            throws InterruptedException {
        AtomicLong remaining = new AtomicLong(count);
        List<Future<?>> workers = new ArrayList<>();
        for (int worker = 0; worker < concurrency; worker++) {
            workers.add(executor.submit(() -> {
                while (true) {
                    long left = remaining.getAndAdd(-gangSize);
                    if (left <= 0) {
                        return null;
                    }
                    List<UUID> ids = createGang(step, (int) Math.min(gangSize, left));
                    synchronized (prefill) {
                        prefill.addAll(ids);
                    }
                    running.addAll(ids);
                }
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("the prefill failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Creates at the pace of a {@link RequestPacer}, recorded in {@code step}. */
    RequestPacer.Operation creates(StepRecorder step) {
        return new RequestPacer.Operation() {
            @Override
            public void send(long dueNanos) throws InterruptedException {
                create(step, dueNanos, "c-");
            }

            @Override
            public void saturated(long dueNanos) {
                step.createsDue().incrementAndGet();
                step.createsFailed().incrementAndGet();
                failed("POST /vms", "not sent: too many in flight");
            }
        };
    }

    /** The mix, in each run of ten calls: four shows, two stops, two starts (stops while none is stopped), two deletes. */
    RequestPacer.Operation mix(Supplier<StepRecorder> current) {
        return new RequestPacer.Operation() {
            @Override
            public void send(long dueNanos) throws InterruptedException {
                StepRecorder step = current.get();
                long call = mixCalls.getAndIncrement() % 10;
                if (call < 4) {
                    show(step, dueNanos);
                } else if (call < 6) {
                    stop(step, dueNanos);
                } else if (call < 8) {
                    start(step, dueNanos);
                } else {
                    delete(step, dueNanos);
                }
            }

            @Override
            public void saturated(long dueNanos) {
                StepRecorder step = current.get();
                step.otherCalls().incrementAndGet();
                step.otherFailed().incrementAndGet();
                failed("mix", "not sent: too many in flight");
            }
        };
    }

    /** {@code GET /api/v1/vms?limit=1000}: the first page, in the project's order. */
    RequestPacer.Operation lists(Supplier<StepRecorder> current) {
        return new RequestPacer.Operation() {
            @Override
            public void send(long dueNanos) throws InterruptedException {
                StepRecorder step = current.get();
                ApiClient.Response response = api.send("GET", "/vms?limit=" + LIST_LIMIT, null);
                step.lists().record(dueNanos, System.nanoTime());
                count(step, "GET /vms?limit=" + LIST_LIMIT, response);
            }

            @Override
            public void saturated(long dueNanos) {
                StepRecorder step = current.get();
                step.otherCalls().incrementAndGet();
                step.otherFailed().incrementAndGet();
                failed("GET /vms", "not sent: too many in flight");
            }
        };
    }

    /** The failed calls so far, by call and status. */
    Map<String, Long> failures() {
        Map<String, Long> copy = new TreeMap<>();
        failures.forEach((key, value) -> copy.put(key, value.get()));
        return copy;
    }

    /** Creates a gang of {@code size} VMs (one VM if 1); their ids, none if the create failed. */
    private List<UUID> createGang(StepRecorder step, int size) throws InterruptedException {
        long due = System.nanoTime();
        step.createsDue().addAndGet(size);
        String name = "p-" + names.incrementAndGet();
        ApiClient.Response response =
                api.send("POST", "/vms", Map.of("name", name, "flavor", FLAVOR, "image", IMAGE, "count", size));
        long done = System.nanoTime();
        step.creates().record(due, done);
        step.mutating().record(due, done);
        if (!response.ok()) {
            step.createsFailed().addAndGet(size);
            failed("POST /vms (count " + size + ")", Integer.toString(response.status()));
            return List.of();
        }
        JsonNode body = api.parse(response.body());
        List<UUID> ids = new ArrayList<>();
        for (JsonNode vm : size > 1 ? body.path("items") : List.of(body)) {
            UUID id = UUID.fromString(vm.path("id").asText());
            ids.add(id);
            step.created().add(new StepRecorder.Created(id, wall.wall(due)));
        }
        return ids;
    }

    /** Creates one VM; its id, or null if the create failed. */
    private @Nullable UUID create(StepRecorder step, long dueNanos, String prefix) throws InterruptedException {
        step.createsDue().incrementAndGet();
        String name = prefix + names.incrementAndGet();
        ApiClient.Response response = api.send("POST", "/vms", Map.of("name", name, "flavor", FLAVOR, "image", IMAGE));
        long done = System.nanoTime();
        step.creates().record(dueNanos, done);
        step.mutating().record(dueNanos, done);
        if (!response.ok()) {
            step.createsFailed().incrementAndGet();
            failed("POST /vms", Integer.toString(response.status()));
            return null;
        }
        JsonNode vm = api.parse(response.body());
        UUID id = UUID.fromString(vm.path("id").asText());
        step.created().add(new StepRecorder.Created(id, wall.wall(dueNanos)));
        return id;
    }

    private void show(StepRecorder step, long dueNanos) throws InterruptedException {
        UUID id = anyLive();
        if (id == null) {
            return;
        }
        ApiClient.Response response = api.send("GET", "/vms/" + id, null);
        step.shows().record(dueNanos, System.nanoTime());
        count(step, "GET /vms/{id}", response);
    }

    private void stop(StepRecorder step, long dueNanos) throws InterruptedException {
        UUID id = running.pollFirst();
        if (id == null) {
            return;
        }
        if (mutate(step, dueNanos, "POST", "/vms/" + id + "/stop", "POST /vms/{id}/stop")) {
            stopped.addLast(id);
        } else {
            running.addLast(id);
        }
    }

    private void start(StepRecorder step, long dueNanos) throws InterruptedException {
        UUID id = stopped.pollFirst();
        if (id == null) {
            stop(step, dueNanos);
            return;
        }
        if (mutate(step, dueNanos, "POST", "/vms/" + id + "/start", "POST /vms/{id}/start")) {
            running.addLast(id);
        } else {
            stopped.addLast(id);
        }
    }

    private void delete(StepRecorder step, long dueNanos) throws InterruptedException {
        UUID id = running.pollLast();
        if (id == null) {
            return;
        }
        deleted.add(id);
        mutate(step, dueNanos, "DELETE", "/vms/" + id, "DELETE /vms/{id}");
    }

    private boolean mutate(StepRecorder step, long dueNanos, String method, String path, String call)
            throws InterruptedException {
        ApiClient.Response response = api.send(method, path, null);
        step.mutating().record(dueNanos, System.nanoTime());
        count(step, call, response);
        return response.ok();
    }

    private void count(StepRecorder step, String call, ApiClient.Response response) {
        step.otherCalls().incrementAndGet();
        if (!response.ok()) {
            step.otherFailed().incrementAndGet();
            failed(call, Integer.toString(response.status()));
        }
    }

    private void failed(String call, String why) {
        failures.computeIfAbsent(call + " " + why, key -> new AtomicLong()).incrementAndGet();
    }

    /** A prefill VM not deleted, at random; null if there is none. */
    private @Nullable UUID anyLive() {
        for (int attempt = 0; attempt < 8; attempt++) {
            UUID id;
            synchronized (prefill) {
                if (prefill.isEmpty()) {
                    return null;
                }
                randomLock.lock();
                try {
                    id = prefill.get(random.nextInt(prefill.size()));
                } finally {
                    randomLock.unlock();
                }
            }
            if (!deleted.contains(id)) {
                return id;
            }
        }
        return null;
    }
}
