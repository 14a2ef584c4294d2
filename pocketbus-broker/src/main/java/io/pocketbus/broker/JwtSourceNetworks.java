package io.pocketbus.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** A user JWT's {@code nats.src}: the addresses (IPs or CIDRs) a user may connect from. */
final class JwtSourceNetworks {

    /** Only IP literals are parsed, so a check never triggers a DNS lookup. */
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private JwtSourceNetworks() {
    }

    /** Whether {@code remoteAddress} ("host:port" or "[v6]:port") is inside one of the networks; empty allows all. */
    static boolean allows(List<String> networks, String remoteAddress) {
        if (networks.isEmpty()) {
            return true;
        }
        Optional<InetAddress> client = address(host(remoteAddress));
        return client.isPresent() && networks.stream().anyMatch(n -> contains(n.trim(), client.get()));
    }

    private static boolean contains(String network, InetAddress client) {
        int slash = network.indexOf('/');
        Optional<InetAddress> base = address(slash < 0 ? network : network.substring(0, slash));
        if (base.isEmpty()) {
            return false;
        }
        byte[] a = base.get().getAddress();
        byte[] b = client.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int bits;
        try {
            bits = slash < 0 ? a.length * 8 : Integer.parseInt(network.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (bits < 0 || bits > a.length * 8) {
            return false;
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static String host(String remoteAddress) {
        if (remoteAddress.startsWith("[")) {
            int close = remoteAddress.indexOf(']');
            return close < 0 ? remoteAddress : remoteAddress.substring(1, close);
        }
        int colon = remoteAddress.lastIndexOf(':');
        return colon >= 0 && remoteAddress.indexOf(':') == colon ? remoteAddress.substring(0, colon) : remoteAddress;
    }

    private static Optional<InetAddress> address(String literal) {
        if (!IP_LITERAL.matcher(literal).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(literal));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
