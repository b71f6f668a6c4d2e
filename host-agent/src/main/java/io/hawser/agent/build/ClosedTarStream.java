package io.hawser.agent.build;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The CLI's context tar with {@code -f -} (AddDockerfileToBuildContext, ReplaceFileTarWrapper) stops right after
 * the last file's data: no padding, no end-of-archive blocks, which Go's tar reader in dockerd accepts. This
 * stream supplies them at EOF (zeros to the block boundary, then two zero blocks), so the strict TarReader
 * sees a complete archive; an archive truncated inside an entry then ends with zeros instead of failing.
 */
final class ClosedTarStream extends FilterInputStream {

    private long count;
    private long trailer = -1;

    ClosedTarStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (trailer < 0) {
            int n = in.read(b, off, len);
            if (n >= 0) {
                count += n;
                return n;
            }
            trailer = (512 - count % 512) % 512 + 1024;
        }
        if (trailer == 0) {
            return -1;
        }
        int n = (int) Math.min(len, trailer);
        java.util.Arrays.fill(b, off, off + n, (byte) 0);
        trailer -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
