package io.hawser.agent.image;

import io.hawser.agent.common.AgentException;
import java.io.InputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest, {@code sha256:<64 lowercase hex>}: the only algorithm Docker image ids and layer
 * diff ids use here. Validation order: size, then characters, then syntax.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests">OCI digests</a>
 */
public record Digest(String hex) implements Comparable<Digest> {

    public static final String ALGORITHM = "sha256";
    private static final String PREFIX = ALGORITHM + ":";
    private static final int HEX_LENGTH = 64;

    public Digest {
        if (hex == null || hex.length() != HEX_LENGTH) {
            throw AgentException.invalidArgument("invalid digest: a sha256 digest has " + HEX_LENGTH + " hex characters, got "
                    + (hex == null ? "none" : hex.length()));
        }
        if (!isLowerHex(hex)) {
            throw AgentException.invalidArgument("invalid digest: '" + hex + "' is not lowercase hexadecimal");
        }
    }

    /** {@code sha256:<hex>}. */
    public static Digest parse(String value) {
        if (value == null || value.length() != PREFIX.length() + HEX_LENGTH) {
            throw AgentException.invalidArgument("invalid digest '" + value + "': expected sha256: and " + HEX_LENGTH + " hex characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != ':') {
                throw AgentException.invalidArgument("invalid digest '" + value + "': unexpected character '" + c + "'");
            }
        }
        if (!value.startsWith(PREFIX)) {
            int colon = value.indexOf(':');
            throw AgentException.invalidArgument("invalid digest '" + value + "': unsupported algorithm "
                    + (colon < 0 ? "(none)" : "'" + value.substring(0, colon) + "'") + ", only sha256");
        }
        return new Digest(value.substring(PREFIX.length()));
    }

    public static Digest of(byte[] content) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(content)));
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    public static Digest of(InputStream in) throws IOException {
        MessageDigest md = sha256();
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = in.read(buf)) > 0) {
            md.update(buf, 0, n);
        }
        return of(md);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The first 12 hex characters, as the docker CLI shows ids. */
    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public int compareTo(Digest o) {
        return hex.compareTo(o.hex);
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
