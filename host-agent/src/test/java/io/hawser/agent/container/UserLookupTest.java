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

    @Test
    void symlinks_areResolvedInsideTheRoot_asInAChroot() throws Exception {
        // the host's file, which a naive follow of either link would read
        Path host = Files.createDirectories(tmp.resolve("hostdir"));
        Files.writeString(host.resolve("passwd"), "evil:x:31337:31337::/host:/bin/sh\n");
        // the container: the same path below its root holds its own file, in a lower layer
        Path image = tmp.resolve("lower");
        Path inRoot = Files.createDirectories(image.resolve(host.toString().substring(1)));
        Files.writeString(inRoot.resolve("passwd"), "evil:x:4242:4243::/home/evil:/bin/sh\n");
        Files.writeString(inRoot.resolve("group"), "evilg:x:4343:evil\n");
        Path abs = Files.createDirectories(tmp.resolve("abs/etc"));
        Files.createSymbolicLink(abs.resolve("passwd"), host.resolve("passwd"));
        Files.createSymbolicLink(abs.resolve("group"), host.resolve("group"));
        UserLookup.ExecUser expected = new UserLookup.ExecUser(4242, 4243, List.of(4343), "/home/evil");
        assertThat(new UserLookup(List.of(tmp.resolve("abs"), image)).resolve("evil")).isEqualTo(expected);

        Path rel = Files.createDirectories(tmp.resolve("rel/etc"));
        String up = "../".repeat(host.getNameCount() + 5);
        Files.createSymbolicLink(rel.resolve("passwd"), Path.of(up + host.toString().substring(1) + "/passwd"));
        Files.createSymbolicLink(rel.resolve("group"), Path.of("./../" + up + host.toString().substring(1) + "/./group"));
        assertThat(new UserLookup(List.of(tmp.resolve("rel"), image)).resolve("evil")).isEqualTo(expected);

        // /etc itself a link to a directory of the root
        Path dirLink = Files.createDirectories(tmp.resolve("dirlink"));
        Files.createSymbolicLink(dirLink.resolve("etc"), host);
        assertThat(new UserLookup(List.of(dirLink, image)).resolve("evil")).isEqualTo(expected);

        // without the container's own copy: not found, never the host's
        assertThatThrownBy(() -> new UserLookup(List.of(tmp.resolve("abs"))).resolve("evil"))
                .hasMessage("unable to find user evil: no matching entries in passwd file");
        assertThat(Files.readString(host.resolve("passwd"))).contains("31337");
    }

    @Test
    void linkLoops_stop() throws Exception {
        Path etc = Files.createDirectories(tmp.resolve("loop/etc"));
        Files.createSymbolicLink(etc.resolve("passwd"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> new UserLookup(List.of(tmp.resolve("loop"))).resolve("root"))
                .hasMessageContaining("too many links");
    }

    @Test
    void anUpperFileHidesALowerDirectory_andADirectoryIsNoFile() throws Exception {
        Path lower = layer("lower5", "low:x:7:7::/:/bin/sh\n", null);
        Path upper = Files.createDirectories(tmp.resolve("upper5/etc/passwd"));
        assertThatThrownBy(() -> new UserLookup(List.of(tmp.resolve("upper5"), lower)).resolve("low"))
                .hasMessageContaining("unable to find user low");
        Files.delete(upper);
        Files.writeString(upper.getParent().resolve("passwd"), "up:x:8:8::/:/bin/sh\n");
        assertThat(new UserLookup(List.of(tmp.resolve("upper5"), lower)).resolve("up").uid()).isEqualTo(8);
    }
}
