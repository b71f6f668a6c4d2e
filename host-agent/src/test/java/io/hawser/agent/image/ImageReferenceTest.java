package io.hawser.agent.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    @Test
    void parse_normalisesOfficialNamesLikeDocker() {
        ImageReference r = ImageReference.parse("busybox");
        assertThat(r.fullName()).isEqualTo("docker.io/library/busybox");
        assertThat(r.tag()).isNull();
        assertThat(r.familiarName()).isEqualTo("busybox");
        assertThat(r.withDefaultTag().familiarString()).isEqualTo("busybox:latest");
        assertThat(ImageReference.parse("docker.io/library/busybox:1").familiarString()).isEqualTo("busybox:1");
    }

    @Test
    void parse_keepsRegistryWithPortAndNestedPaths() {
        ImageReference r = ImageReference.parse("registry.example.com:5000/team/app:v1.2");
        assertThat(r.domain()).isEqualTo("registry.example.com:5000");
        assertThat(r.path()).isEqualTo("team/app");
        assertThat(r.tag()).isEqualTo("v1.2");
        assertThat(r.familiarString()).isEqualTo("registry.example.com:5000/team/app:v1.2");
        assertThat(ImageReference.parse("localhost/app").domain()).isEqualTo("localhost");
        assertThat(ImageReference.parse("user/app").familiarString()).isEqualTo("user/app");
    }

    @Test
    void parse_readsDigests() {
        String hex = "a".repeat(64);
        ImageReference r = ImageReference.parse("app:1@sha256:" + hex);
        assertThat(r.tag()).isEqualTo("1");
        assertThat(r.digest()).isEqualTo(new Digest(hex));
        assertThat(r.withDefaultTag()).isSameAs(r);
    }

    @Test
    void parse_rejectsUppercaseRepository() {
        assertThatThrownBy(() -> ImageReference.parse("BusyBox")).isInstanceOf(AgentException.class)
                .hasMessage("invalid reference format: repository name must be lowercase");
    }

    @Test
    void parse_rejectsBadSyntax() {
        for (String bad : new String[] {"", "a b", "app:", "app:-x", "-app", "app//x", "app:" + "t".repeat(129), "a@sha256:12"}) {
            assertThatThrownBy(() -> ImageReference.parse(bad)).as(bad).isInstanceOf(AgentException.class);
        }
    }

    @Test
    void parse_rejects64HexNames() {
        assertThatThrownBy(() -> ImageReference.parse("b".repeat(64)))
                .hasMessageContaining("cannot specify 64-byte hexadecimal strings");
    }

    @Test
    void withTag_validatesTheTag() {
        assertThat(ImageReference.parse("bb").withTag("2").familiarString()).isEqualTo("bb:2");
        assertThatThrownBy(() -> ImageReference.parse("bb").withTag("a/b")).hasMessage("invalid tag format");
    }
}
