package io.vireo.api;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.api.BadInputTest.Case;
import java.util.List;
import java.util.Map;

/**
 * {@link BadInputTest}'s rows for networks, subnets and ports. The fixture has network {@code net} with subnet
 * {@code net-v4}, 10.0.0.0/24 with gateway 10.0.0.1.
 */
final class NetworkBadInput {
    static final String NETWORKS = "/api/v1/networks";
    static final String SUBNETS = "/api/v1/subnets";
    static final String PORTS = "/api/v1/ports";

    private NetworkBadInput() {}

    static void add(List<Case> cases, List<String> badNames) {
        for (String name : badNames) {
            String shown = name.length() > 20 ? name.length() + " characters" : name.replace("\n", "\\n");
            cases.add(invalid("network named " + shown, NETWORKS, "{\"name\":" + quote(name) + "}", "name:"));
            cases.add(invalid("subnet named " + shown, SUBNETS, subnet(quote(name), "10.1.0.0/24", ""), "name:"));
            cases.add(invalid(
                    "port named " + shown, PORTS, "{\"network\":\"net\",\"name\":" + quote(name) + "}", "name:"));
        }
        networks(cases);
        cidrs(cases);
        gatewaysAndDns(cases);
        pools(cases);
        ports(cases);
    }

    private static void networks(List<Case> cases) {
        cases.add(invalid("mtu 100", NETWORKS, "{\"name\":\"n\",\"mtu\":100}", "mtu: must be between 576 and 8950"));
        cases.add(invalid("mtu 9001", NETWORKS, "{\"name\":\"n\",\"mtu\":9001}", "mtu: must be between"));
        cases.add(invalid("mtu \"1450\"", NETWORKS, "{\"name\":\"n\",\"mtu\":\"1450\"}", "mtu: must be an integer"));
        cases.add(invalid("external \"yes\"", NETWORKS, "{\"name\":\"n\",\"external\":\"yes\"}", "external:"));
        cases.add(invalid("network vni given", NETWORKS, "{\"name\":\"n\",\"vni\":5}", "vni: unknown field"));
        cases.add(error("network name taken", NETWORKS, "{\"name\":\"net\"}", 409, "ALREADY_EXISTS", "'net'"));
    }

    private static void cidrs(List<Case> cases) {
        cases.add(invalid("cidr with host bits", SUBNETS, subnet("\"s\"", "10.1.0.1/24", ""), "host bits set"));
        cases.add(invalid("cidr /33", SUBNETS, subnet("\"s\"", "10.1.0.0/33", ""), "prefix length must be 8-30"));
        cases.add(invalid("cidr /31", SUBNETS, subnet("\"s\"", "10.1.0.0/31", ""), "prefix length must be 8-30"));
        cases.add(invalid("cidr /-1", SUBNETS, subnet("\"s\"", "10.1.0.0/-1", ""), "not a prefix length"));
        cases.add(invalid("cidr without prefix", SUBNETS, subnet("\"s\"", "10.1.0.0", ""), "not a CIDR"));
        cases.add(invalid("cidr 300.0.0.0/8", SUBNETS, subnet("\"s\"", "300.0.0.0/8", ""), "not an IPv4 address"));
        cases.add(invalid("cidr 010.1.0.0/16", SUBNETS, subnet("\"s\"", "010.1.0.0/16", ""), "not an IPv4 address"));
        cases.add(invalid("cidr $(id)/24", SUBNETS, subnet("\"s\"", "$(id)/24", ""), "not an IPv4 address"));
        cases.add(invalid("cidr a host name", SUBNETS, subnet("\"s\"", "localhost/24", ""), "not an IPv4 address"));
        cases.add(invalid("cidr IPv6", SUBNETS, subnet("\"s\"", "fd00::/64", ""), "not an IPv4 address"));
        cases.add(invalid("cidr missing", SUBNETS, "{\"name\":\"s\",\"network\":\"net\"}", "cidr: is required"));
        cases.add(invalid("ipv6 with host bits", SUBNETS, v6("fd00::1/64"), "host bits set"));
        cases.add(invalid("ipv6 /65", SUBNETS, v6("fd00::/65"), "prefix length must be 8-64"));
        cases.add(invalid("ipv6 :::", SUBNETS, v6("fd00:::/64"), "not an IPv6 CIDR"));
        cases.add(invalid("ipv6 with a zone", SUBNETS, v6("fe80::%eth0/64"), "not an IPv6 CIDR"));
        cases.add(invalid("ipv6 nine groups", SUBNETS, v6("1:2:3:4:5:6:7:8:9/64"), "not an IPv6 CIDR"));
        cases.add(invalid("ipv6 IPv4", SUBNETS, v6("10.0.0.0/24"), "not an IPv6 CIDR"));
        cases.add(error(
                "subnet of an unknown network",
                SUBNETS,
                "{\"name\":\"s\",\"network\":\"nope\",\"cidr\":\"10.1.0.0/24\"}",
                404,
                "NOT_FOUND",
                "network 'nope' not found"));
        cases.add(error(
                "overlapping subnet", SUBNETS, subnet("\"s\"", "10.0.0.128/25", ""), 409, "CONFLICT", "overlaps"));
        cases.add(error(
                "subnet name taken",
                SUBNETS,
                subnet("\"net-v4\"", "10.1.0.0/24", ""),
                409,
                "ALREADY_EXISTS",
                "'net-v4'"));
    }

    private static void gatewaysAndDns(List<Case> cases) {
        cases.add(invalid(
                "gateway outside",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"gateway\":\"10.2.0.1\""),
                "gateway: 10.2.0.1 is not a host address"));
        cases.add(invalid(
                "gateway broadcast",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"gateway\":\"10.1.0.255\""),
                "is not a host address"));
        cases.add(invalid(
                "gateway network address",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"gateway\":\"10.1.0.0\""),
                "is not a host address"));
        cases.add(invalid(
                "gateway and noGateway",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"gateway\":\"10.1.0.1\",\"noGateway\":true"),
                "exclude each other"));
        cases.add(invalid(
                "gateway a;b",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"gateway\":\"a;b\""),
                "gateway: 'a;b' is not an IPv4"));
        cases.add(invalid(
                "dns a name",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"dnsServers\":[\"dns.example\"]"),
                "dnsServers:"));
        cases.add(invalid(
                "dns twice",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"dnsServers\":[\"1.1.1.1\",\"1.1.1.1\"]"),
                "named twice"));
        cases.add(invalid(
                "dns null",
                SUBNETS,
                subnet("\"s\"", "10.1.0.0/24", ",\"dnsServers\":[null]"),
                "dnsServers: must not hold null"));
        cases.add(invalid(
                "five dns servers",
                SUBNETS,
                subnet(
                        "\"s\"",
                        "10.1.0.0/24",
                        ",\"dnsServers\":[\"1.1.1.1\",\"1.1.1.2\",\"1.1.1.3\",\"1.1.1.4\",\"1.1.1.5\"]"),
                "at most 4 DNS servers"));
    }

    private static void pools(List<Case> cases) {
        cases.add(invalid("pool backwards", SUBNETS, pool("\"10.1.0.20-10.1.0.10\""), "ends before it starts"));
        cases.add(invalid("pool null", SUBNETS, pool("null"), "pools: must not hold null"));
        cases.add(invalid("pool without a dash", SUBNETS, pool("\"10.1.0.20\""), "not a range"));
        cases.add(invalid("pool holding the gateway", SUBNETS, pool("\"10.1.0.1-10.1.0.10\""), "holds the gateway"));
        cases.add(invalid("pool outside", SUBNETS, pool("\"10.1.1.1-10.1.1.10\""), "is not inside"));
        cases.add(invalid("pool with broadcast", SUBNETS, pool("\"10.1.0.200-10.1.0.255\""), "is not inside"));
        cases.add(invalid(
                "pools overlapping", SUBNETS, pool("\"10.1.0.10-10.1.0.20\",\"10.1.0.15-10.1.0.30\""), "overlap"));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 17; i++) {
            many.append(i == 0 ? "" : ",")
                    .append("\"10.1.0.")
                    .append(10 + i)
                    .append("-10.1.0.")
                    .append(10 + i)
                    .append('"');
        }
        cases.add(invalid("17 pools", SUBNETS, pool(many.toString()), "at most 16 allocation pools"));
    }

    private static void ports(List<Case> cases) {
        cases.add(invalid(
                "port ip 10.0.0.999", PORTS, port(",\"ip\":\"10.0.0.999\""), "ip: '10.0.0.999' is not an IPv4"));
        cases.add(invalid("port ip outside", PORTS, port(",\"ip\":\"192.168.0.5\""), "in no subnet of the network"));
        cases.add(invalid("port ip network address", PORTS, port(",\"ip\":\"10.0.0.0\""), "network or broadcast"));
        cases.add(invalid("port ip broadcast", PORTS, port(",\"ip\":\"10.0.0.255\""), "network or broadcast"));
        cases.add(error("port ip the gateway", PORTS, port(",\"ip\":\"10.0.0.1\""), 409, "CONFLICT", "gateway"));
        cases.add(error(
                "port of an unknown network", PORTS, "{\"network\":\"nope\"}", 404, "NOT_FOUND", "network 'nope'"));
        cases.add(error("port of an unknown vm", PORTS, port(",\"vm\":\"ghost\""), 404, "NOT_FOUND", "vm 'ghost'"));
        cases.add(invalid("port network missing", PORTS, "{\"name\":\"p\"}", "network: is required"));
        cases.add(invalid("port mac given", PORTS, port(",\"mac\":\"02:00:00:00:00:01\""), "mac: unknown field"));
    }

    private static String subnet(String quotedName, String cidr, String more) {
        return "{\"name\":" + quotedName + ",\"network\":\"net\",\"cidr\":\"" + cidr + "\"" + more + "}";
    }

    private static String v6(String cidr) {
        return subnet("\"s\"", "10.1.0.0/24", ",\"ipv6Cidr\":\"" + cidr + "\"");
    }

    private static String pool(String pools) {
        return subnet("\"s\"", "10.1.0.0/24", ",\"pools\":[" + pools + "]");
    }

    private static String port(String more) {
        return "{\"network\":\"net\"" + more + "}";
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static Case invalid(String description, String path, String json, String fragment) {
        return error(description, path, json, 400, "INVALID_ARGUMENT", fragment);
    }

    private static Case error(String description, String path, String json, int status, String code, String fragment) {
        return new Case(
                description, "POST", path, "application/json", json.getBytes(UTF_8), Map.of(), status, code, fragment);
    }
}
