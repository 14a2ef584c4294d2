package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IpListTest {
    @Test
    void matchesIpsAndSubnets() {
        assertThat(IpList.contains(List.of("127.0.0.1"), "127.0.0.1")).isTrue();
        assertThat(IpList.contains(List.of("10.0.0.0/8"), "10.20.30.40")).isTrue();
        assertThat(IpList.contains(List.of("10.0.0.0/8"), "11.0.0.1")).isFalse();
        assertThat(IpList.contains(List.of("192.168.1.0/24", "::1"), "0:0:0:0:0:0:0:1")).isTrue();
        assertThat(IpList.contains(List.of("2001:db8::/32"), "2001:db8:1::5")).isTrue();
        assertThat(IpList.contains(List.of("::ffff:10.0.0.1"), "10.0.0.1")).isTrue();
    }

    @Test
    void neverResolvesNames() {
        assertThat(IpList.parse("localhost")).isEmpty();
        assertThat(IpList.parse("example.com")).isEmpty();
        assertThat(IpList.contains(List.of("localhost"), "127.0.0.1")).isFalse();
        assertThat(IpList.contains(List.of("300.0.0.1"), "127.0.0.1")).isFalse();
        assertThat(IpList.contains(List.of("10.0.0.0/33"), "10.0.0.1")).isFalse();
    }
}
