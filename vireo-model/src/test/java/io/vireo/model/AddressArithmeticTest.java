package io.vireo.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.common.ErrorCode;
import io.vireo.common.VireoException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing and arithmetic of IPv4 and IPv6 addresses, CIDRs, allocation pools and MAC addresses. */
class AddressArithmeticTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"0.0.0.0, 0", "10.0.0.1, 167772161", "192.168.1.255, 3232236031", "255.255.255.255, 4294967295"})
    void ipv4AddressesParseAndPrintBack(String text, long value) {
        Ipv4Address address = Ipv4Address.parse("ip", text);

        assertThat(address.value()).isEqualTo(value);
        assertThat(address).hasToString(text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "",
                "1.2.3",
                "1.2.3.4.5",
                "256.0.0.1",
                "01.2.3.4",
                "1.2.3.-4",
                "1..3.4",
                "1.2.3.4 ",
                " 1.2.3.4",
                "0x1.2.3.4",
                "localhost",
                "1.2.3.4/32",
                "::1",
                "1.2.3.٤",
                "1.2.3.4\n",
                "9999999999"
            })
    void badIpv4AddressesAreInvalidArguments(String text) {
        assertInvalid(() -> Ipv4Address.parse("ip", text), "ip: ");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // cidr, size, network, broadcast, first host, last host
        "10.0.0.0/24, 256, 10.0.0.0, 10.0.0.255, 10.0.0.1, 10.0.0.254",
        "10.20.0.0/22, 1024, 10.20.0.0, 10.20.3.255, 10.20.0.1, 10.20.3.254",
        "192.168.4.0/30, 4, 192.168.4.0, 192.168.4.3, 192.168.4.1, 192.168.4.2",
        "10.0.0.0/8, 16777216, 10.0.0.0, 10.255.255.255, 10.0.0.1, 10.255.255.254",
        "255.255.255.0/24, 256, 255.255.255.0, 255.255.255.255, 255.255.255.1, 255.255.255.254"
    })
    void ipv4CidrsSpanTheirAddresses(
            String text, long size, String network, String broadcast, String firstHost, String lastHost) {
        Ipv4Cidr cidr = Ipv4Cidr.parse("cidr", text);

        assertThat(cidr).hasToString(text);
        assertThat(cidr.size()).isEqualTo(size);
        assertThat(cidr.network()).hasToString(network);
        assertThat(cidr.broadcast()).hasToString(broadcast);
        assertThat(cidr.firstHost()).hasToString(firstHost);
        assertThat(cidr.lastHost()).hasToString(lastHost);
        assertThat(cidr.hostAddress(cidr.network())).isFalse();
        assertThat(cidr.hostAddress(cidr.broadcast())).isFalse();
        assertThat(cidr.contains(cidr.broadcast())).isTrue();
        assertThat(cidr.contains(cidr.network())).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.1/24     | has host bits set; the network is 10.0.0.0/24",
                "10.0.0.0/7      | the prefix length must be 8-30, not 7",
                "10.0.0.0/31     | the prefix length must be 8-30, not 31",
                "10.0.0.0/32     | the prefix length must be 8-30, not 32",
                "10.0.0.0/       | is not a prefix length",
                "10.0.0.0/+24    | is not a prefix length",
                "10.0.0.0/0024   | is not a prefix length",
                "10.0.0.0        | is not a CIDR",
                "10.0.0/24       | is not an IPv4 address",
                "fd00::/64       | is not an IPv4 address",
                "10.0.0.0/24/24  | is not a prefix length"
            })
    void badIpv4CidrsSayWhatIsWrong(String text, String problem) {
        assertInvalid(() -> Ipv4Cidr.parse("cidr", text), problem);
    }

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({
        "10.0.0.0/24, 10.0.0.128/25, true",
        "10.0.0.0/24, 10.0.1.0/24, false",
        "10.0.0.0/16, 10.0.255.0/24, true",
        "10.0.0.0/24, 9.255.255.0/24, false",
        "10.0.0.0/8, 11.0.0.0/8, false"
    })
    void ipv4CidrsOverlapBothWays(String a, String b, boolean overlap) {
        Ipv4Cidr first = Ipv4Cidr.parse("cidr", a);
        Ipv4Cidr second = Ipv4Cidr.parse("cidr", b);

        assertThat(first.overlaps(second)).isEqualTo(overlap);
        assertThat(second.overlaps(first)).isEqualTo(overlap);
    }

    @ParameterizedTest(name = "{0} gateway {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.0/24 | 10.0.0.1   | 10.0.0.2-10.0.0.254",
                "10.0.0.0/24 | 10.0.0.254 | 10.0.0.1-10.0.0.253",
                "10.0.0.0/24 | 10.0.0.100 | 10.0.0.1-10.0.0.99 10.0.0.101-10.0.0.254",
                "10.0.0.0/30 | 10.0.0.1   | 10.0.0.2-10.0.0.2",
                "10.20.0.0/22 | 10.20.0.1 | 10.20.0.2-10.20.3.254"
            })
    void defaultPoolsAreTheHostAddressesLessTheGateway(String cidr, String gateway, String pools) {
        List<AddressRange> defaults = Ipv4Cidr.parse("cidr", cidr).defaultPools(Ipv4Address.parse("gateway", gateway));

        assertThat(defaults).extracting(AddressRange::toString).containsExactly(pools.split(" "));
    }

    @Test
    void aSlash22HasRoomFor1021PortsBesideItsGateway() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("cidr", "10.20.0.0/22");

        assertThat(cidr.defaultPools(cidr.firstHost()).stream()
                        .mapToLong(AddressRange::size)
                        .sum())
                .isEqualTo(1021);
        assertThat(cidr.defaultPools())
                .singleElement()
                .satisfies(pool -> assertThat(pool.size()).isEqualTo(1022));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "10.0.0.5-10.0.0.4 | ends before it starts",
                "10.0.0.5          | is not a range",
                "10.0.0.5-         | is not an IPv4 address",
                "-10.0.0.5         | is not an IPv4 address",
                "10.0.0.1-10.0.0.2-10.0.0.3 | is not an IPv4 address"
            })
    void badPoolsAreInvalidArguments(String text, String problem) {
        assertInvalid(() -> AddressRange.parse("pools", text), problem);
    }

    @Test
    void poolsKnowTheirSizeAndOverlaps() {
        AddressRange pool = AddressRange.parse("pools", "10.0.0.10-10.0.0.20");

        assertThat(pool.size()).isEqualTo(11);
        assertThat(AddressRange.parse("pools", "10.0.0.7-10.0.0.7").size()).isEqualTo(1);
        assertThat(pool.overlaps(AddressRange.parse("pools", "10.0.0.20-10.0.0.30")))
                .isTrue();
        assertThat(pool.overlaps(AddressRange.parse("pools", "10.0.0.21-10.0.0.30")))
                .isFalse();
        assertThat(pool.contains(Ipv4Address.parse("ip", "10.0.0.10"))).isTrue();
        assertThat(pool.contains(Ipv4Address.parse("ip", "10.0.0.21"))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fd00:1::/64, fd00:1::/64",
        "FD00:0001:0000:0000:0000:0000:0000:0000/64, fd00:1::/64",
        "2001:db8::/32, 2001:db8::/32",
        "2001:DB8:0:1:0:0:0:0/64, 2001:db8:0:1::/64"
    })
    void ipv6CidrsParseAndPrintCanonically(String text, String canonical) {
        assertThat(Ipv6Cidr.parse("ipv6Cidr", text)).hasToString(canonical);
    }

    @Test
    void theCanonicalFormShortensTheLongestRunOfZeros() {
        assertThat(Ipv6Cidr.parse("ipv6Cidr", "2001:0:0:1::/64")).hasToString("2001:0:0:1::/64");
        assertThat(Ipv6Cidr.parse("ipv6Cidr", "2001:db8:0:0::/64")).hasToString("2001:db8::/64");
        assertThat(Ipv6Cidr.parse("ipv6Cidr", "::/8")).hasToString("::/8");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "fd00::1/64        | has host bits set",
                "fd00:1::/7        | the prefix length must be 8-64",
                "fd00:1::/65       | the prefix length must be 8-64",
                "fd00:1::          | is not an IPv6 CIDR",
                "fd00:::1/64       | is not an IPv6 CIDR",
                "fd00::1::/64      | is not an IPv6 CIDR",
                "fd00:12345::/64   | is not an IPv6 CIDR",
                "1:2:3:4:5:6:7:8:9/64 | is not an IPv6 CIDR",
                "1:2:3:4:5:6:7/64  | is not an IPv6 CIDR",
                "fe80::%eth0/64    | is not an IPv6 CIDR",
                "::ffff:10.0.0.0/104 | is not an IPv6 CIDR",
                "[fd00::]/64       | is not an IPv6 CIDR",
                "10.0.0.0/24       | is not an IPv6 CIDR",
                "gd00::/64         | is not an IPv6 CIDR"
            })
    void badIpv6CidrsSayWhatIsWrong(String text, String problem) {
        assertInvalid(() -> Ipv6Cidr.parse("ipv6Cidr", text), problem);
    }

    @ParameterizedTest(name = "{0} and {1}: {2}")
    @CsvSource({
        "fd00:1::/64, fd00:1::/64, true",
        "fd00:1::/64, fd00:2::/64, false",
        "fd00::/16, fd00:2::/64, true",
        "fd00::/48, fd00:0:1::/48, false"
    })
    void ipv6CidrsOverlapBothWays(String a, String b, boolean overlap) {
        Ipv6Cidr first = Ipv6Cidr.parse("ipv6Cidr", a);
        Ipv6Cidr second = Ipv6Cidr.parse("ipv6Cidr", b);

        assertThat(first.overlaps(second)).isEqualTo(overlap);
        assertThat(second.overlaps(first)).isEqualTo(overlap);
    }

    @Test
    void generatedMacsAreLocallyAdministeredUnicast() {
        for (int i = 0; i < 1000; i++) {
            MacAddress mac = MacAddress.locallyAdministered(UUID.randomUUID());
            assertThat(mac.locallyAdministered()).isTrue();
            assertThat(mac.unicast()).isTrue();
            assertThat(MacAddress.parse("mac", mac.toString())).isEqualTo(mac);
        }
        UUID id = UUID.fromString("00000000-0000-4000-8000-ffffffffffff");
        assertThat(MacAddress.locallyAdministered(id)).hasToString("fe:ff:ff:ff:ff:ff");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "02:00:00:00:00", "02:00:00:00:00:0g", "02-00-00-00-00-01", "0200.0000.0001"})
    void badMacsAreInvalidArguments(String text) {
        assertInvalid(() -> MacAddress.parse("mac", text), "mac: ");
    }

    @Test
    void aSubnetKeepsItsPoolsInsideItsHostAddressesAndAwayFromItsGateway() {
        Ipv4Cidr cidr = Ipv4Cidr.parse("cidr", "10.0.0.0/24");
        Ipv4Address gateway = cidr.firstHost();

        assertThatThrownBy(() -> subnet(cidr, gateway, List.of(AddressRange.parse("p", "10.0.0.1-10.0.0.9"))))
                .hasMessageContaining("holds the gateway");
        assertThatThrownBy(() -> subnet(cidr, gateway, List.of(AddressRange.parse("p", "10.0.0.250-10.0.0.255"))))
                .hasMessageContaining("is not inside");
        assertThatThrownBy(() -> subnet(
                        cidr,
                        gateway,
                        List.of(
                                AddressRange.parse("p", "10.0.0.10-10.0.0.20"),
                                AddressRange.parse("p", "10.0.0.20-10.0.0.30"))))
                .hasMessageContaining("overlap");
        assertThat(subnet(cidr, gateway, cidr.defaultPools(gateway)).poolSize()).isEqualTo(253);
    }

    private static Subnet subnet(Ipv4Cidr cidr, Ipv4Address gateway, List<AddressRange> pools) {
        return new Subnet(
                UUID.randomUUID(),
                UUID.randomUUID(),
                UUID.randomUUID(),
                "s",
                java.time.Instant.EPOCH,
                cidr,
                null,
                gateway,
                List.of(),
                pools);
    }

    private static void assertInvalid(Runnable parse, String problem) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(VireoException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(problem);
        });
    }
}
