package io.hawser.agent.network;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EtcFilesTest {

    @Test
    void hosts_endWithTheContainersAddressAndHostname() {
        assertThat(EtcFiles.hosts("box", "172.31.0.2")).startsWith("127.0.0.1\tlocalhost\n").endsWith("\n172.31.0.2\tbox\n");
    }

    @Test
    void resolvConf_dropsLoopbackNameserversOnly() {
        String host = "# generated\nnameserver 127.0.0.53\nnameserver ::1\nnameserver 10.0.0.53\nsearch example.org\noptions edns0\n";
        assertThat(EtcFiles.resolvConf(host))
                .isEqualTo("# generated\nnameserver 10.0.0.53\nsearch example.org\noptions edns0\n");
    }
}
