package io.hawser.agent.api;

import io.hawser.agent.common.AgentException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Engine API version such as 1.47, compared numerically (1.9 is older than 1.41).
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/#api-version-matrix">API version matrix</a>
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    /** The newest version this agent speaks; sent as the Api-Version header of every response. */
    public static final ApiVersion MAX = new ApiVersion(1, 47);
    /** The oldest version accepted: Docker 20.10's, the oldest engine this agent stands in for. */
    public static final ApiVersion MIN = new ApiVersion(1, 41);

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,4})\\.([0-9]{1,4})");

    public ApiVersion {
        if (major < 0 || minor < 0) {
            throw new IllegalArgumentException("API version parts must not be negative: " + major + "." + minor);
        }
    }

    public static ApiVersion parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw AgentException.invalidArgument("invalid API version '" + text + "': expected MAJOR.MINOR such as 1.47");
        }
        return new ApiVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /**
     * Checks a version a client asked for in the path; the messages are dockerd's, word for word, since
     * clients (and people) match on them.
     */
    public static ApiVersion negotiate(String requested) {
        ApiVersion v = parse(requested);
        if (v.compareTo(MAX) > 0) {
            throw AgentException.invalidArgument("client version " + requested
                    + " is too new. Maximum supported API version is " + MAX);
        }
        if (v.compareTo(MIN) < 0) {
            throw AgentException.invalidArgument("client version " + requested
                    + " is too old. Minimum supported API version is " + MIN
                    + ", please upgrade your client to a newer version");
        }
        return v;
    }

    @Override
    public int compareTo(ApiVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    public boolean isAtLeast(ApiVersion o) {
        return compareTo(o) >= 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
