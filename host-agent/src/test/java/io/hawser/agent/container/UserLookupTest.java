package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserLookupTest {

    @TempDir
    Path tmp;

    private Path layer(String name, String passwd, String group) throws Exception {
        Path etc = Files.createDirectories(tmp.resolve(name).resolve("etc"));
        if (passwd != null) {
            Files.writeString(etc.resolve("passwd"), passwd);
        }
        if (group != null) {
            Files.writeString(etc.resolve("group"), group);
        }
        return tmp.resolve(name);
    }

    @Test
    void namesNumbersAndGroups_fromTheTopmostLayerThatHasTheFile() throws Exception {
        Path bottom = layer("bottom", "root:x:0:0:root:/root:/bin/sh\nold:x:5:5::/old:/bin/sh\n", "root:x:0:\nstaff:x:50:app,other\n");
        Path top = layer("top", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001:app:/home/app:/bin/sh\n", null);
        UserLookup lookup = new UserLookup(List.of(top, bottom));
        assertThat(lookup.resolve("")).isEqualTo(new UserLookup.ExecUser(0, 0, List.of(), "/root"));
        assertThat(lookup.resolve("app")).isEqualTo(new UserLookup.ExecUser(1000, 1001, List.of(50), "/home/app"));
        assertThat(lookup.resolve("1000")).isEqualTo(new UserLookup.ExecUser(1000, 1001, List.of(50), "/home/app"));
        assertThat(lookup.resolve("1234:99")).isEqualTo(new UserLookup.ExecUser(1234, 99, List.of(), "/"));
        assertThat(lookup.resolve("app:staff")).isEqualTo(new UserLookup.ExecUser(1000, 50, List.of(), "/home/app"));
        assertThatThrownBy(() -> lookup.resolve("old")).hasMessage("unable to find user old: no matching entries in passwd file");
        assertThatThrownBy(() -> lookup.resolve("app:nogroup")).hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void symlinkedEtc_isNeverFollowed() throws Exception {
        Path hostLike = layer("host", "evil:x:0:0::/:/bin/sh\n", null);
        Path top = Files.createDirectories(tmp.resolve("top2"));
        Files.createSymbolicLink(top.resolve("etc"), hostLike.resolve("etc"));
        assertThatThrownBy(() -> new UserLookup(List.of(top)).resolve("evil")).hasMessageContaining("unable to find user evil");
        Path top3 = Files.createDirectories(tmp.resolve("top3/etc"));
        Files.createSymbolicLink(top3.resolve("passwd"), hostLike.resolve("etc/passwd"));
        assertThatThrownBy(() -> new UserLookup(List.of(tmp.resolve("top3"), hostLike)).resolve("evil"))
                .hasMessageContaining("unable to find user evil");
    }
}
