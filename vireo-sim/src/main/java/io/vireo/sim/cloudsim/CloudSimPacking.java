package io.vireo.sim.cloudsim;

import ch.qos.logback.classic.Level;
import io.vireo.sim.packing.PackingResult;
import io.vireo.sim.workload.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.cloudsimplus.allocationpolicies.VmAllocationPolicy;
import org.cloudsimplus.allocationpolicies.VmAllocationPolicyBestFit;
import org.cloudsimplus.allocationpolicies.VmAllocationPolicyFirstFit;
import org.cloudsimplus.core.CloudSimPlus;
import org.cloudsimplus.datacenters.DatacenterSimple;
import org.cloudsimplus.hosts.Host;
import org.cloudsimplus.hosts.HostSimple;
import org.cloudsimplus.resources.Pe;
import org.cloudsimplus.resources.PeSimple;
import org.cloudsimplus.util.Log;
import org.cloudsimplus.vms.Vm;
import org.cloudsimplus.vms.VmSimple;

/**
 * The same arrival sequence through CloudSim Plus 8.5.5's allocation policies, called directly on a datacenter's hosts
 * (no simulation events). Only the {@code allocateHostForVm} calls are timed; building hosts and VMs is not.
 * CloudSim Plus units: one PE per vCPU, RAM in MiB, storage in GiB, bandwidth in Mbps.
 */
public final class CloudSimPacking {
    public static final String BEST_FIT = "CloudSim Plus VmAllocationPolicyBestFit";
    public static final String FIRST_FIT = "CloudSim Plus VmAllocationPolicyFirstFit";

    private static final double PE_MIPS = 1_000;

    private CloudSimPacking() {}

    public static PackingResult bestFit(int hostCount, List<Shape> vms) {
        return place(BEST_FIT, VmAllocationPolicyBestFit::new, hostCount, vms);
    }

    public static PackingResult firstFit(int hostCount, List<Shape> vms) {
        return place(FIRST_FIT, VmAllocationPolicyFirstFit::new, hostCount, vms);
    }

    private static PackingResult place(
            String name, Supplier<VmAllocationPolicy> policyFactory, int hostCount, List<Shape> vms) {
        Log.setLevel(Level.WARN);
        CloudSimPlus simulation = new CloudSimPlus();
        List<Host> hosts = new ArrayList<>(hostCount);
        for (int i = 0; i < hostCount; i++) {
            hosts.add(host());
        }
        VmAllocationPolicy policy = policyFactory.get();
        new DatacenterSimple(simulation, hosts, policy);
        List<Vm> cloudVms = new ArrayList<>(vms.size());
        for (int i = 0; i < vms.size(); i++) {
            cloudVms.add(vm(i, vms.get(i)));
        }
        int unplaced = 0;
        long nanos = 0;
        for (Vm vm : cloudVms) {
            long start = System.nanoTime();
            boolean placed = policy.allocateHostForVm(vm).fully();
            nanos += System.nanoTime() - start;
            if (!placed) {
                unplaced++;
            }
        }
        int used = 0;
        for (Host host : hosts) {
            if (!host.getVmList().isEmpty()) {
                used++;
            }
        }
        return new PackingResult(name, used, unplaced, vms.size() - unplaced, nanos);
    }

    private static Host host() {
        List<Pe> pes = new ArrayList<>(Math.toIntExact(Shape.HOST.vcpus()));
        for (int pe = 0; pe < Shape.HOST.vcpus(); pe++) {
            pes.add(new PeSimple(PE_MIPS));
        }
        return new HostSimple(Shape.HOST.memoryMib(), Shape.HOST.nicMbps(), Shape.HOST.diskGib(), pes);
    }

    private static Vm vm(int id, Shape shape) {
        Vm vm = new VmSimple(id, PE_MIPS, shape.vcpus());
        vm.setRam(shape.memoryMib()).setBw(shape.nicMbps()).setSize(shape.diskGib());
        return vm;
    }
}
