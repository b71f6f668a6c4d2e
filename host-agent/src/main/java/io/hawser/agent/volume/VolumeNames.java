package io.hawser.agent.volume;

import io.hawser.agent.common.AgentException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Local volume names, checked with dockerd's local driver rules and words (moby volume/local validateName). */
public final class VolumeNames {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private VolumeNames() {}

    /** Throws dockerd's 400 for a name the local driver refuses. */
    public static void validate(String name) {
        if (name.length() == 1) {
            throw AgentException.invalidArgument("create " + name
                    + ": volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!VALID.matcher(name).matches()) {
            throw AgentException.invalidArgument("create " + name + ": \"" + name + "\" includes invalid characters for a local"
                    + " volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host"
                    + " directory, use absolute path");
        }
    }

    /** 64 hex digits, as dockerd names anonymous volumes. */
    public static String random() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
