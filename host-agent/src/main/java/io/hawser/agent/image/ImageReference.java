package io.hawser.agent.image;

import io.hawser.agent.common.AgentException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reference {@code [registry/]repo[:tag][@digest]} normalised as Docker does: no registry means
 * {@code docker.io}, and a one-component name there means {@code library/NAME}. {@link #familiarName()}
 * undoes that for display ({@code busybox}, not {@code docker.io/library/busybox}), as dockerd's
 * RepoTags and messages show names.
 *
 * @see <a href="https://github.com/distribution/reference/blob/main/reference.go">distribution/reference grammar</a>
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    static final int NAME_MAX = 255;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final String DOMAIN_LABEL = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(DOMAIN_LABEL + "(?:\\." + DOMAIN_LABEL + ")*(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
    private static final Pattern WHOLE = Pattern.compile("([^@]+?)(?::([^:/@]+))?(?:@(.+))?");

    public ImageReference {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(path, "path");
    }

    /** Parses and normalises; errors use dockerd's "invalid reference format" wording. */
    public static ImageReference parse(String value) {
        if (value == null || value.isEmpty()) {
            throw invalid("repository name must have at least one component");
        }
        if (value.length() > 512) {
            throw invalid("reference is longer than 512 characters");
        }
        Matcher m = WHOLE.matcher(value);
        if (!m.matches()) {
            throw invalid("invalid reference format");
        }
        String name = m.group(1);
        String tag = m.group(2);
        Digest digest = m.group(3) == null ? null : Digest.parse(m.group(3));
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw invalid("invalid reference format");
        }
        String domain = DEFAULT_DOMAIN;
        String path = name;
        int slash = name.indexOf('/');
        if (slash > 0) {
            String first = name.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT))) {
                if (!DOMAIN.matcher(first).matches()) {
                    throw invalid("invalid reference format");
                }
                domain = first;
                path = name.substring(slash + 1);
            }
        }
        if (!path.equals(path.toLowerCase(Locale.ROOT))) {
            throw invalid("invalid reference format: repository name must be lowercase");
        }
        if (!PATH.matcher(path).matches()) {
            throw invalid("invalid reference format");
        }
        if (HEX64.matcher(path).matches() && domain.equals(DEFAULT_DOMAIN)) {
            throw invalid("invalid repository name (" + path + "), cannot specify 64-byte hexadecimal strings");
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (domain.length() + 1 + path.length() > NAME_MAX) {
            throw invalid("repository name must not be more than " + NAME_MAX + " characters");
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** The same name with {@code :latest} when it has neither tag nor digest (dockerd's TagNameOnly). */
    public ImageReference withDefaultTag() {
        return tag == null && digest == null ? new ImageReference(domain, path, DEFAULT_TAG, null) : this;
    }

    public ImageReference withTag(String newTag) {
        if (!TAG.matcher(newTag).matches()) {
            throw invalid("invalid tag format");
        }
        return new ImageReference(domain, path, newTag, null);
    }

    /** {@code docker.io/library/busybox}. */
    public String fullName() {
        return domain + "/" + path;
    }

    /** {@code busybox}, {@code user/app}, {@code registry:5000/app}: the name as docker shows it. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return fullName();
    }

    /** {@code busybox:latest}, {@code app@sha256:...}: how RepoTags and dockerd messages show it. */
    public String familiarString() {
        return familiarName() + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }

    @Override
    public String toString() {
        return familiarString();
    }

    private static AgentException invalid(String message) {
        return AgentException.invalidArgument(message.startsWith("invalid") ? message : "invalid reference format: " + message);
    }
}
