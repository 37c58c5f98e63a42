package io.vireo.controller.port;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.model.Alert;
import io.vireo.model.AlertState;
import io.vireo.model.Flavor;
import io.vireo.model.Image;
import io.vireo.model.ImageFormat;
import io.vireo.model.Vm;
import io.vireo.model.VmState;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AlertRepository} must do: keep active alerts with their labels, annotations and times, with
 * conditional writes; and what the alert rules read of VMs ({@link VmRepository#listUnsettled}). A subclass supplies a
 * fresh, empty store per test.
 */
public abstract class AlertContractTest implements StoreContract {
    private final Flavor flavor = new Flavor(UUID.randomUUID(), "small", T0, SMALL);
    private final Image image = new Image(UUID.randomUUID(), ADMIN, "cirros", T0, ImageFormat.QCOW2, 1 << 20);
    private Repositories store;
    private AlertRepository alerts;

    /** A fresh store; {@link #alerts()} must belong to it. */
    protected abstract Repositories newRepositories();

    protected abstract AlertRepository alerts();

    @BeforeEach
    void setUpStore() {
        store = newRepositories();
        store.flavors().create(flavor);
        store.images().create(image);
        alerts = alerts();
    }

    @Override
    public Repositories store() {
        return store;
    }

    @Override
    public Flavor flavor() {
        return flavor;
    }

    @Override
    public Image image() {
        return image;
    }

    private static Alert pending(String host) {
        Map<String, String> labels = Map.of("alertname", "VireoHostDown", "severity", "critical", "host", host);
        return new Alert(
                Alert.keyOf(labels),
                "VireoHostDown",
                labels,
                Map.of("summary", "A host is down", "description", "with \"quotes\" and ümlauts"),
                AlertState.PENDING,
                T0,
                null);
    }

    @Test
    void anAlertIsInsertedOnceFiredOnceAndRemovedInTheStateExpected() {
        Alert alert = pending("h1");
        assertThat(alerts.insert(alert)).isTrue();
        assertThat(alerts.insert(alert)).isFalse();
        assertThat(alerts.list()).containsExactly(alert);

        assertThat(alerts.remove(alert.key(), AlertState.FIRING)).isFalse();
        assertThat(alerts.fire(alert.key(), at(30))).isTrue();
        assertThat(alerts.fire(alert.key(), at(35))).isFalse();
        assertThat(alerts.list()).containsExactly(alert.fired(at(30)));
        assertThat(alerts.fire("{alertname=\"Nothing\"}", at(30))).isFalse();

        assertThat(alerts.remove(alert.key(), AlertState.PENDING)).isFalse();
        assertThat(alerts.remove(alert.key(), AlertState.FIRING)).isTrue();
        assertThat(alerts.remove(alert.key(), AlertState.FIRING)).isFalse();
        assertThat(alerts.list()).isEmpty();
    }

    @Test
    void alertsAreListedByKey() {
        Alert second = pending("h2");
        Alert first = pending("h1");
        alerts.insert(second);
        alerts.insert(first);
        assertThat(alerts.list()).containsExactly(first, second);
    }

    @Test
    void unsettledVmsAreThoseInATransitionalStateUnchangedSinceBeforeTheTime() {
        Vm older = store.vms().create(newVm(ADMIN, "older", T0), null);
        Vm newer = store.vms().create(newVm(ADMIN, "newer", at(10)), null);
        Vm running = placedVm("running", register("h1"));
        assertThat(store.vms()
                        .updateStatus(
                                running.id(),
                                running.generation(),
                                running.epoch(),
                                VmState.RUNNING,
                                null,
                                running.generation(),
                                at(1),
                                at(1)))
                .isTrue();

        assertThat(store.vms().listUnsettled(at(20), 10)).extracting(Vm::name).containsExactly("older", "newer");
        assertThat(store.vms().listUnsettled(at(20), 1)).extracting(Vm::id).containsExactly(older.id());
        assertThat(store.vms().listUnsettled(at(5), 10)).extracting(Vm::id).containsExactly(older.id());
        assertThat(store.vms().listUnsettled(T0, 10)).isEmpty();
        assertThat(newer.state()).isEqualTo(VmState.PENDING);
        assertThat(List.of(older, newer))
                .allSatisfy(vm -> assertThat(vm.state().settled()).isFalse());
    }
}
