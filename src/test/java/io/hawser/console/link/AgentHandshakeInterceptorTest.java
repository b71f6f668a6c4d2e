package io.hawser.console.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class AgentHandshakeInterceptorTest {

    @Test
    void bearer_parsesHostIdAndCredential() {
        UUID id = UUID.randomUUID();
        var c = AgentHandshakeInterceptor.bearer("Bearer " + id + ".secret-part");
        assertThat(c).isPresent();
        assertThat(c.get().hostId()).isEqualTo(id);
        assertThat(c.get().credential()).isEqualTo("secret-part");
        assertThat(AgentHandshakeInterceptor.bearer("bearer " + id + ".s")).isPresent();
    }

    @Test
    void bearer_refusesEverythingElse() {
        UUID id = UUID.randomUUID();
        assertThat(AgentHandshakeInterceptor.bearer(null)).isEmpty();
        assertThat(AgentHandshakeInterceptor.bearer("Basic YWRtaW46eA==")).isEmpty();
        assertThat(AgentHandshakeInterceptor.bearer("Bearer " + id)).isEmpty();
        assertThat(AgentHandshakeInterceptor.bearer("Bearer " + id + ".")).isEmpty();
        assertThat(AgentHandshakeInterceptor.bearer("Bearer not-a-uuid.secret")).isEmpty();
    }
}
