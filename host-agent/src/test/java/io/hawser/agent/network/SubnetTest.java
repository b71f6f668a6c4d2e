package io.hawser.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SubnetTest {

    @Test
    void parse_addresses_gatewayAndMac() {
        Subnet s = Subnet.parse("172.31.7.0/24");
        assertThat(s.toString()).isEqualTo("172.31.7.0/24");
        assertThat(s.gateway()).isEqualTo("172.31.7.1");
        assertThat(s.address(2)).isEqualTo("172.31.7.2");
        assertThat(s.size()).isEqualTo(256);
        assertThat(s.indexOf("172.31.7.9")).isEqualTo(9);
        assertThat(s.indexOf("172.31.8.9")).isEqualTo(-1);
        assertThatThrownBy(() -> s.address(255)).isInstanceOf(IllegalArgumentException.class); // broadcast
        assertThat(Subnet.macFor("172.17.0.2")).isEqualTo("02:42:ac:11:00:02"); // dockerd's, from the reference
    }

    @Test
    void parse_refusesHostBitsBadPrefixesAndBadAddresses() {
        assertThatThrownBy(() -> Subnet.parse("172.31.7.5/24")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0/31")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> Subnet.parse("10.0.0/24")).hasMessageContaining("invalid IPv4");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.256/24")).hasMessageContaining("invalid IPv4");
        assertThatThrownBy(() -> Subnet.parse("10.0.0.0")).hasMessageContaining("A.B.C.D/N");
    }

    @Test
    void overlaps_andPickFree_skipWhatTheHostRoutes() {
        assertThat(Subnet.parse("172.16.0.0/12").overlaps(Subnet.parse("172.31.3.0/24"))).isTrue();
        assertThat(Subnet.parse("172.31.3.0/24").overlaps(Subnet.parse("172.31.4.0/24"))).isFalse();
        assertThat(Bridge.pickFree(List.of(Subnet.parse("172.31.0.0/24"), Subnet.parse("172.31.1.0/24"))))
                .isEqualTo(Subnet.parse("172.31.2.0/24"));
        assertThat(Bridge.pickFree(List.of(Subnet.parse("172.16.0.0/12")))).isEqualTo(Subnet.parse("10.231.0.0/24"));
    }

    @Test
    void bridgeNames_fitIfnamsizAndNeedNoQuoting() {
        assertThat(Bridge.checkName("hawser0")).isEqualTo("hawser0");
        assertThatThrownBy(() -> Bridge.checkName("a-very-long-bridge")).hasMessageContaining("1 to 15");
        assertThatThrownBy(() -> Bridge.checkName("br 0")).hasMessageContaining("invalid bridge name");
    }
}
