package dev.thaw.web;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names and addresses a request's {@code Host} header may carry, so that a page of another site whose name was
 * pointed at this server's address (DNS rebinding) is refused: it still sends its own name. Always allowed:
 * {@code localhost}, the address (or name) the server was told to listen on, and the names given with
 * {@code --allowed-host}. A server on a loopback address allows nothing more. A server on any other address also
 * allows this machine's host name and canonical name and the addresses of the interface it listens on; one on all
 * addresses (0.0.0.0 or ::) every address of this machine. Names compare ignoring case and one trailing dot,
 * addresses as addresses ({@code [::1]} and {@code [0:0:0:0:0:0:0:1]} are one); the port is not compared.
 */
record AllowedHosts(Set<String> names, Set<InetAddress> addresses) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9_-]*[a-z0-9])?)*");
    private static final Pattern PORT = Pattern.compile(":\\d{0,5}");

    AllowedHosts {
        names = Set.copyOf(names);
        addresses = Set.copyOf(addresses);
    }

    /**
     * What a server bound to {@code bound} (as the operator wrote it: {@code host}) answers to, given this machine's
     * names and the addresses it is reached at (those of the bound interface, or all of the machine's for a wildcard
     * address). Pure: nothing is looked up.
     *
     * @throws IllegalArgumentException when an {@code extra} name is neither a host name nor an address
     */
    static AllowedHosts of(String host, InetAddress bound, Collection<String> machineNames,
                           Collection<InetAddress> reachedAt, Collection<String> extra) {
        Set<String> names = new HashSet<>();
        Set<InetAddress> addresses = new HashSet<>();
        names.add("localhost");
        addresses.add(plain(bound));
        List<String> own = new ArrayList<>(List.of(host));
        if (!bound.isLoopbackAddress()) {
            own.addAll(machineNames);
            reachedAt.forEach(a -> addresses.add(plain(a)));
        }
        for (String name : own) {
            literal(bare(name)).ifPresentOrElse(addresses::add, () -> name(name).ifPresent(names::add));
        }
        for (String name : extra) {
            literal(bare(name)).ifPresentOrElse(addresses::add, () -> names.add(name(name).orElseThrow(() ->
                    new IllegalArgumentException("--allowed-host takes a host name or an address without a port, got '"
                            + name + "'"))));
        }
        return new AllowedHosts(names, addresses);
    }

    /**
     * What a server listening on {@code host} answers to, looking up this machine's names and addresses once (only
     * for an address other machines can reach).
     *
     * @throws IllegalArgumentException when {@code host} is not an address of this machine's, or an {@code extra}
     *                                  name is neither a host name nor an address
     */
    static AllowedHosts lookUp(String host, Collection<String> extra) {
        InetAddress bound;
        try {
            bound = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + " is neither an address nor a known host name");
        }
        if (bound.isLoopbackAddress()) {
            return of(host, bound, List.of(), List.of(), extra);
        }
        List<String> names = new ArrayList<>();
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName());
            names.add(self.getCanonicalHostName());
        } catch (UnknownHostException e) {
            // this machine's name does not resolve: it cannot be used in an address either
        }
        return of(host, bound, names, reachedAt(bound), extra);
    }

    /** True when {@code hostHeader} (a {@code Host} header: name or address, maybe with a port) is allowed. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        String host = hostHeader.strip();
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            if (end < 0 || !(end == host.length() - 1 || PORT.matcher(host.substring(end + 1)).matches())) {
                return false;
            }
            host = host.substring(0, end + 1);
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                if (!PORT.matcher(host.substring(colon)).matches()) {
                    return false;
                }
                host = host.substring(0, colon);
            }
        }
        String bare = bare(host);
        Optional<InetAddress> literal = literal(bare);
        if (literal.isPresent()) {
            return addresses.contains(literal.get());
        }
        return name(host).map(names::contains).orElse(false);
    }

    private static Collection<InetAddress> reachedAt(InetAddress bound) {
        try {
            if (bound.isAnyLocalAddress()) {
                List<InetAddress> all = new ArrayList<>();
                for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    all.addAll(Collections.list(i.getInetAddresses()));
                }
                return all;
            }
            NetworkInterface i = NetworkInterface.getByInetAddress(bound);
            return i == null ? List.of() : Collections.list(i.getInetAddresses());
        } catch (SocketException e) {
            return List.of();
        }
    }

    /** {@code host} without the brackets of an IPv6 address. */
    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address {@code text} spells, when it spells one (never a name lookup). */
    private static Optional<InetAddress> literal(String text) {
        try {
            if (IPV4.matcher(text).matches()) {
                byte[] bytes = new byte[4];
                String[] parts = text.split("\\.");
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(parts[i]);
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // bracketed, the text can only be read as an IPv6 address: no name lookup
            return IPV6.matcher(text).matches() ? Optional.of(plain(InetAddress.getByName("[" + text + "]")))
                    : Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** {@code a} without its host name and IPv6 scope, so that equal addresses are equal. */
    private static InetAddress plain(InetAddress a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for an address of the wrong length, which getAddress() is not
        }
    }

    /** {@code text} as a host name in lower case without a trailing dot, when it is one. */
    private static Optional<String> name(String text) {
        String n = text.strip().toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        return NAME.matcher(n).matches() ? Optional.of(n) : Optional.empty();
    }
}
