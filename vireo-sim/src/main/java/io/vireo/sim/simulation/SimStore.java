package io.vireo.sim.simulation;

import static java.util.Objects.requireNonNull;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import io.vireo.controller.port.ClaimRepository;
import io.vireo.controller.port.EventRepository;
import io.vireo.controller.port.FlavorRepository;
import io.vireo.controller.port.HostRepository;
import io.vireo.controller.port.ImageRepository;
import io.vireo.controller.port.MigrationRepository;
import io.vireo.controller.port.Repositories;
import io.vireo.controller.port.ServerGroupRepository;
import io.vireo.controller.port.VmRepository;
import io.vireo.controller.port.VmStatsRepository;
import io.vireo.controller.port.VolumeRepository;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The store as the simulated server sees it: every port call is a point where the {@link Interleaver} may pause the
 * calling operation, and a write may fail before it is applied ({@link FaultKind#STORE_WRITE_FAILS}) or after
 * ({@link FaultKind#STORE_OUTCOME_UNKNOWN}), as a lost connection or a commit whose answer never came would. Reads
 * never fail here.
 */
final class SimStore {
    /** Methods that only read; every other method of a repository writes. */
    private static final List<String> READ_PREFIXES =
            List.of("find", "list", "count", "gangMembers", "members", "storedImageIds", "uploads");

    private final Interleaver interleaver;
    private final Faults faults;

    SimStore(Interleaver interleaver, Faults faults) {
        this.interleaver = requireNonNull(interleaver, "interleaver is null");
        this.faults = requireNonNull(faults, "faults is null");
    }

    Repositories wrap(Repositories store) {
        return new Repositories(
                proxy(HostRepository.class, store.hosts()),
                proxy(VmRepository.class, store.vms()),
                proxy(ClaimRepository.class, store.claims()),
                proxy(EventRepository.class, store.events()),
                proxy(FlavorRepository.class, store.flavors()),
                proxy(ImageRepository.class, store.images()),
                proxy(ServerGroupRepository.class, store.serverGroups()),
                proxy(VmStatsRepository.class, store.vmStats()),
                proxy(VolumeRepository.class, store.volumes()),
                // Not a fault point: the audit log shares no transaction with the rest, nothing the invariants check
                // reads it, and that a failed audit write changes no outcome is tested where it is handled.
                store.audit());
    }

    /** Live migrations, which are not part of {@link Repositories}. */
    MigrationRepository wrap(MigrationRepository migrations) {
        return proxy(MigrationRepository.class, migrations);
    }

    private <T> T proxy(Class<T> type, T target) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> call(target, method, args)));
    }

    private Object call(Object target, Method method, @Nullable Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(target, args);
        }
        interleaver.yieldPoint();
        boolean write =
                READ_PREFIXES.stream().noneMatch(prefix -> method.getName().startsWith(prefix));
        if (write && faults.fires(FaultKind.STORE_WRITE_FAILS)) {
            throw new VireoException(ErrorCode.UNAVAILABLE, "the database is unavailable; try again (simulated)");
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (write) {
            if (faults.fires(FaultKind.STORE_OUTCOME_UNKNOWN)) {
                throw new VireoException(
                        ErrorCode.UNAVAILABLE, "the database connection was lost at commit (simulated)");
            }
        }
        return result;
    }
}
