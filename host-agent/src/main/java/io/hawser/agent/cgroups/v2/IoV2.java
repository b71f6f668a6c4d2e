package io.hawser.agent.cgroups.v2;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code io.stat}: one line per device, "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N".
 * Bytes become "read"/"write" entries, as moby's stats for v2 report them.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html#io-interface-files">IO Interface Files</a>
 */
final class IoV2 {

    private IoV2() {}

    static List<CgroupStats.BlkioEntry> stats(Path dir) {
        Path file = dir.resolve("io.stat");
        List<CgroupStats.BlkioEntry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : CgroupFiles.read(file).split("\n")) {
            String[] f = line.strip().split("\\s+");
            String[] dev = f[0].split(":");
            if (dev.length != 2) {
                continue;
            }
            int major = Integer.parseInt(dev[0]);
            int minor = Integer.parseInt(dev[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length == 2 && (kv[0].equals("rbytes") || kv[0].equals("wbytes"))) {
                    entries.add(new CgroupStats.BlkioEntry(major, minor, kv[0].equals("rbytes") ? "read" : "write", Long.parseLong(kv[1])));
                }
            }
        }
        return entries;
    }
}
