package io.hawser.agent.cgroups.v1;

import io.hawser.agent.cgroups.CgroupFiles;
import io.hawser.agent.cgroups.CgroupStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 blkio controller's byte counters. {@code blkio.io_service_bytes_recursive} exists only with the
 * CFQ/BFQ-era proportional policy and is empty on blk-mq kernels; the throttle policy's counters are
 * the fallback (runc fs/blkio.go makes the same choice).
 *
 * <p>Kernel fact (seen on 6.18 with mq-deadline): the throttle counters stay at zero for a device until
 * the cgroup has a throttle rule for it ({@code blkio.throttle.write_bps_device}); with any rule, even a
 * huge one, 4 MiB of O_DIRECT writes show up as "254:0 Write 4194304". So without rules v1 block I/O
 * reads as nothing, and {@code docker stats} shows 0B as dockerd's would on such a kernel.
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/blkio-controller.html">Block IO Controller</a>
 */
final class BlkioV1 {

    private BlkioV1() {}

    static List<CgroupStats.BlkioEntry> stats(Path dir) {
        List<CgroupStats.BlkioEntry> entries = parse(dir.resolve("blkio.io_service_bytes_recursive"));
        return entries.isEmpty() ? parse(dir.resolve("blkio.throttle.io_service_bytes_recursive")) : entries;
    }

    /** Lines "MAJ:MIN Op value"; the closing "Total value" line is not per device and is skipped. */
    static List<CgroupStats.BlkioEntry> parse(Path file) {
        List<CgroupStats.BlkioEntry> entries = new ArrayList<>();
        if (!Files.exists(file)) {
            return entries;
        }
        for (String line : CgroupFiles.read(file).split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length != 3) {
                continue;
            }
            String[] dev = f[0].split(":");
            if (dev.length != 2) {
                continue;
            }
            entries.add(new CgroupStats.BlkioEntry(Integer.parseInt(dev[0]), Integer.parseInt(dev[1]), f[1], Long.parseLong(f[2])));
        }
        return entries;
    }
}
