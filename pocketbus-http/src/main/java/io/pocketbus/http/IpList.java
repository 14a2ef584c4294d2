package io.pocketbus.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Matches an IP against a list of IPs and CIDR subnets ({@code 10.0.0.0/8}, {@code ::1}); never resolves names. */
final class IpList {
    private static final Pattern IPV4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");

    private IpList() {
    }

    static boolean contains(List<String> ipsOrSubnets, String ip) {
        Optional<byte[]> address = parse(ip);
        if (address.isEmpty()) {
            return false;
        }
        for (String item : ipsOrSubnets) {
            int slash = item.indexOf('/');
            Optional<byte[]> network = parse(slash < 0 ? item : item.substring(0, slash));
            if (network.isEmpty() || network.get().length != address.get().length) {
                continue;
            }
            int bits = network.get().length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(item.substring(slash + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (bits < 0 || bits > network.get().length * 8) {
                    continue;
                }
            }
            if (samePrefix(network.get(), address.get(), bits)) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] a, byte[] b, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal; anything else (a host name) is rejected without a lookup. */
    static Optional<byte[]> parse(String literal) {
        String value = literal.trim();
        var v4 = IPV4.matcher(value);
        if (v4.matches()) {
            byte[] out = new byte[4];
            for (int i = 0; i < 4; i++) {
                int part = Integer.parseInt(v4.group(i + 1));
                if (part > 255) {
                    return Optional.empty();
                }
                out[i] = (byte) part;
            }
            return Optional.of(out);
        }
        if (value.startsWith("[") && value.endsWith("]")) {
            value = value.substring(1, value.length() - 1);
        }
        if (!value.contains(":") || !value.matches("^[0-9a-fA-F:.]+$")) {
            return Optional.empty();
        }
        try {
            // a literal with ':' is parsed, never looked up
            byte[] bytes = InetAddress.getByName(value).getAddress();
            if (bytes.length == 16 && isV4Mapped(bytes)) {
                return Optional.of(java.util.Arrays.copyOfRange(bytes, 12, 16));
            }
            return Optional.of(bytes);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
