package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MountSpecsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HostConfig hc(String json) throws Exception {
        return JSON.readValue(json, HostConfig.class);
    }

    @Test
    void binds_asDockerdReadsThem() {
        MountPoint b = MountSpecs.bind("/srv/x/../y:/in:ro");
        assertThat(b).isEqualTo(new MountPoint("bind", "", "/srv/y", "/in", "ro", false, "rprivate", false, false, true,
                List.of("ro"), true));
        MountPoint v = MountSpecs.bind("vol:/data");
        assertThat(v.type()).isEqualTo("volume");
        assertThat(v.name()).isEqualTo("vol");
        assertThat(v.mode()).isEqualTo("z");
        assertThat(v.named()).isTrue();
        assertThat(v.copyData()).isTrue();
        assertThat(MountSpecs.bind("vol:/data:nocopy").copyData()).isFalse();
        MountPoint anon = MountSpecs.bind("/only");
        assertThat(anon.type()).isEqualTo("volume");
        assertThat(anon.name()).isEmpty();
        assertThat(anon.named()).isFalse();
    }

    @Test
    void badBinds_getDockerdsErrors() {
        assertThatThrownBy(() -> MountSpecs.bind("/h:x")).hasMessage("invalid volume specification: '/h:x': invalid mount"
                + " config for type \"bind\": invalid mount path: 'x' mount path must be absolute");
        assertThatThrownBy(() -> MountSpecs.bind("/h:/x:bogus")).hasMessage("invalid volume specification: '/h:/x:bogus':"
                + " invalid mode: bogus");
        assertThatThrownBy(() -> MountSpecs.bind("/h:/")).hasMessage("invalid specification: destination can't be '/'");
        assertThatThrownBy(() -> MountSpecs.bind("a:b:c:d")).hasMessageContaining("invalid volume specification");
        assertThatThrownBy(() -> MountSpecs.bind("/h:/x:rshared")).hasMessageContaining("not supported");
    }

    @Test
    void parse_mergesSources_imageVolumesLast_parentsFirst_duplicatesRefused() throws Exception {
        HostConfig h = hc("{\"Binds\":[\"/host:/data/sub\"],\"Mounts\":[{\"Type\":\"tmpfs\",\"Target\":\"/t\","
                + "\"TmpfsOptions\":{\"SizeBytes\":1048576}}],\"Tmpfs\":{\"/scratch\":\"size=1m,exec\"}}");
        List<MountPoint> all = MountSpecs.parse(h, Map.of("/data", Map.of()), Map.of("/data", Map.of(), "/logs", Map.of()));
        assertThat(all).extracting(MountPoint::destination).containsExactly("/t", "/scratch", "/data", "/logs", "/data/sub");
        MountPoint t = all.get(0);
        assertThat(t.options()).containsExactly("noexec", "nosuid", "nodev", "size=1048576");
        MountPoint scratch = all.get(1);
        assertThat(scratch.options()).containsExactly("nosuid", "nodev", "size=1m");
        assertThat(scratch.listed()).isFalse();
        assertThatThrownBy(() -> MountSpecs.parse(hc("{\"Binds\":[\"/a:/x\",\"v1:/x\"]}"), null, null))
                .hasMessage("Duplicate mount point: /x");
        assertThatThrownBy(() -> MountSpecs.tmpfsOptions("size=1m,o=evil")).hasMessageContaining("invalid tmpfs option");
    }
}
