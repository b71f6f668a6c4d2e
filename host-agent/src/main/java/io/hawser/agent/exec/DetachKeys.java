package io.hawser.agent.exec;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;

/**
 * The key sequence that detaches a client from a TTY without stopping anything (default ctrl-p ctrl-q), and
 * the filter that finds it in the client's input, as dockerd's term.ToBytes and copyEscapable: bytes that
 * could start the sequence are held back; if the sequence completes, they are dropped and the client is
 * detached; if it breaks off, they are passed on with the byte that broke it.
 */
public final class DetachKeys {

    public static final String DEFAULT = "ctrl-p,ctrl-q";

    private final byte[] keys;
    private int matched;

    private DetachKeys(byte[] keys) {
        this.keys = keys;
    }

    /** {@code ctrl-<a..z,@,[,\,],^,_>} or single characters, comma separated; empty: the default. */
    public static DetachKeys parse(String spec) {
        String s = spec == null || spec.isEmpty() ? DEFAULT : spec;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String key : s.split(",", -1)) {
            String k = key.strip().toLowerCase(java.util.Locale.ROOT);
            if (k.length() == 1) {
                out.write(k.charAt(0));
            } else if (k.length() == 6 && k.startsWith("ctrl-")) {
                char c = k.charAt(5);
                if (c >= 'a' && c <= 'z') {
                    out.write(c - 'a' + 1);
                } else if ("@[\\]^_".indexOf(c) >= 0) {
                    out.write("@[\\]^_".indexOf(c) == 0 ? 0 : 27 + "[\\]^_".indexOf(c));
                } else {
                    throw invalid(spec);
                }
            } else {
                throw invalid(spec);
            }
        }
        return new DetachKeys(out.toByteArray());
    }

    private static AgentException invalid(String spec) {
        return AgentException.invalidArgument("Invalid detach keys (" + spec + ") provided");
    }

    /**
     * Filters {@code n} bytes of {@code in}; what must go on to the container is written to {@code out}.
     * Returns true when the sequence completed (everything after it is dropped).
     */
    public boolean filter(byte[] in, int n, ByteArrayOutputStream out) {
        for (int i = 0; i < n; i++) {
            if (in[i] == keys[matched]) {
                if (++matched == keys.length) {
                    return true;
                }
                continue;
            }
            out.write(keys, 0, matched);
            matched = 0;
            if (in[i] == keys[0]) {
                matched = 1;
                if (keys.length == 1) {
                    return true;
                }
            } else {
                out.write(in[i]);
            }
        }
        return false;
    }
}
