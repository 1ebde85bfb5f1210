package dev.thaw.web;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, cases 4 and 5: the Host rule for each kind of address, with given machine names and interface addresses
 * (a test machine may have no second interface), and as looked up on this machine.
 */
class AllowedHostsTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private static void allows(AllowedHosts hosts, String... headers) {
        for (String h : headers) {
            assertTrue(hosts.allows(h), h + " should be answered by " + hosts);
        }
    }

    private static void refuses(AllowedHosts hosts, String... headers) {
        for (String h : headers) {
            assertFalse(hosts.allows(h), h + " should be refused by " + hosts);
        }
    }

    @Test
    void aServerOnOneAddressAnswersToItsInterfaceTheMachinesNamesAndAllowedNames() throws Exception {
        AllowedHosts hosts = AllowedHosts.of("192.0.2.10", ip("192.0.2.10"), List.of("build-box", "build-box.lan"),
                List.of(ip("192.0.2.10"), ip("fe80::1%1"), ip("2001:db8::10")), List.of("thaw.example", "203.0.113.7"));
        allows(hosts, "192.0.2.10:7070", "192.0.2.10", "build-box:7070", "BUILD-BOX.lan.", "[fe80::1]:7070",
                "[2001:db8:0:0:0:0:0:10]", "localhost:7070", "thaw.example", "Thaw.Example:443", "203.0.113.7:80",
                "192.0.2.10:");
        refuses(hosts, null, "", "evil.example", "evil.example:7070", "192.0.2.11", "build-box.evil.example",
                "127.0.0.1:7070", "[::1]", "192.0.2.10:http", "192.0.2.10:7070:1", "[fe80::1", "[fe80::1]x",
                "build-box@evil.example", "1.2.3.999", "thaw.example, evil.example", "*");
    }

    @Test
    void aServerOnEveryAddressAnswersToEachOfTheMachinesAddresses() throws Exception {
        AllowedHosts hosts = AllowedHosts.of("0.0.0.0", ip("0.0.0.0"), List.of("build-box"),
                List.of(ip("127.0.0.1"), ip("192.0.2.10"), ip("::1")), List.of());
        allows(hosts, "127.0.0.1:7070", "[::1]:7070", "192.0.2.10", "build-box:7070", "localhost", "0.0.0.0:7070");
        refuses(hosts, "evil.example", "192.0.2.99:7070", "[2001:db8::10]");
    }

    @Test
    void aLoopbackServerAnswersToItsAddressAndLocalhostOnly() throws Exception {
        AllowedHosts other = AllowedHosts.of("127.0.0.2", ip("127.0.0.2"), List.of("build-box"),
                List.of(ip("192.0.2.10")), List.of());
        allows(other, "127.0.0.2:7070", "127.0.0.2", "localhost:7070", "LOCALHOST");
        refuses(other, "build-box", "192.0.2.10", "evil.example", "127.0.0.3:7070");
        AllowedHosts six = AllowedHosts.of("::1", ip("::1"), List.of(), List.of(), List.of());
        allows(six, "[::1]:7070", "[0:0:0:0:0:0:0:1]", "localhost");
        refuses(six, "evil.example", "[::2]");
        AllowedHosts named = AllowedHosts.of("localhost", ip("127.0.0.1"), List.of(), List.of(), List.of("box.test"));
        allows(named, "127.0.0.1:7070", "localhost:7070", "box.test:7070");
    }

    @Test
    void anAllowedHostMustBeANameOrAnAddress() throws Exception {
        for (String bad : List.of("evil.example:80", "http://x", "", "a b", "*.example")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowedHosts.of(
                    "127.0.0.1", ip("127.0.0.1"), List.of(), List.of(), List.of(bad)), bad);
            assertTrue(e.getMessage().contains("--allowed-host"), e.getMessage());
        }
        allows(AllowedHosts.of("127.0.0.1", ip("127.0.0.1"), List.of(), List.of(), List.of("[2001:db8::1]", "::2")),
                "[2001:db8::1]:7070", "[::2]");
    }

    @Test
    void onThisMachineTheRulesLookUpItsNamesAndAddresses() throws Exception {
        allows(AllowedHosts.lookUp("127.0.0.2", List.of()), "127.0.0.2:7070", "localhost");
        refuses(AllowedHosts.lookUp("127.0.0.2", List.of()), "evil.example", "127.0.0.1");
        AllowedHosts every = AllowedHosts.lookUp("0.0.0.0", List.of());
        allows(every, "127.0.0.1:7070", "localhost", InetAddress.getLocalHost().getHostName());
        refuses(every, "evil.example");
        assertThrows(IllegalArgumentException.class, () -> AllowedHosts.lookUp("no-such-host.invalid", List.of()));
    }
}
