package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails the read (invalid argument, so the client sees why) once more than {@code limit} bytes came through. */
public final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private final String what;
    private long count;

    public LimitedInputStream(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) {
        count += n;
        if (count > limit) {
            throw AgentException.invalidArgument(what + " is larger than the " + limit + " bytes allowed");
        }
    }
}
