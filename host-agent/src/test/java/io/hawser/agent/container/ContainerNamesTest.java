package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerNamesTest {

    @Test
    void validate_acceptsDockersAlphabet_andStripsTheSlash() {
        assertThat(ContainerNames.validate("web-1.a_b")).isEqualTo("web-1.a_b");
        assertThat(ContainerNames.validate("/web")).isEqualTo("web");
    }

    @Test
    void validate_refusesWithDockerdsMessage() {
        for (String bad : new String[] {"a", "-web", "we b", "web/x", "_x", "é1"}) {
            assertThatThrownBy(() -> ContainerNames.validate(bad))
                    .hasMessage("Invalid container name (" + bad + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
    }

    @Test
    void generate_givesAdjectiveSurname_notInUse() {
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String name = ContainerNames.generate(used::contains);
            assertThat(name).matches("[a-z]+_[a-z]+[0-9]?");
            assertThat(used.add(name)).isTrue();
            assertThat(ContainerNames.validate(name)).isEqualTo(name);
        }
    }

    @Test
    void generate_appendsADigitWhenNamesKeepClashing() {
        String name = ContainerNames.generate(n -> !n.matches(".*[0-9]"));
        assertThat(name).matches("[a-z]+_[a-z]+[0-9]");
    }

    @Test
    void ids_are64HexWithAShortForm() {
        ContainerId id = ContainerId.random();
        assertThat(id.value()).matches("[0-9a-f]{64}");
        assertThat(id.shortId()).isEqualTo(id.value().substring(0, 12));
        assertThat(id.shortId()).matches(".*[a-f].*");
        assertThatThrownBy(() -> new ContainerId("xyz")).isInstanceOf(IllegalArgumentException.class);
    }
}
