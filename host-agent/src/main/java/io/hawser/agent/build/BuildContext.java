package io.hawser.agent.build;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.storage.LayerExtractor;
import io.hawser.agent.storage.ScopedPath;
import io.hawser.agent.storage.SpecialFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The build context: the request body (a tar, plain or gzip) unpacked into a private directory with the
 * hostile-tar rules ({@link LayerExtractor#forCopy}: no absolute names, no {@code ..}, nothing written through
 * a symlink, no relative symlink climbing out, no devices). The Dockerfile is read first, then what
 * {@code .dockerignore} excludes is removed, as dockerd's remotecontext (detect.go) does; the CLI has
 * already left those files out, but the agent does not rely on the client. Sources are resolved inside
 * the directory by {@link ScopedPath}: a symlink in the context never leads out of it.
 */
final class BuildContext {

    private final Path root;
    private final String dockerfile;

    private BuildContext(Path root, String dockerfile) {
        this.root = root;
        this.dockerfile = dockerfile;
    }

    /** Unpacks {@code body} into {@code root} (an empty private directory the caller deletes). */
    static BuildContext unpack(InputStream body, Path root, String dockerfileName) throws IOException {
        InputStream in = new BufferedInputStream(body, 64 * 1024);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            in = new GZIPInputStream(in, 64 * 1024);
        }
        try {
            new LayerExtractor(SpecialFiles.system(), false).forCopy(0, 0, false).extract(new ClosedTarStream(in), root);
        } catch (AgentException e) {
            throw AgentException.invalidArgument("invalid build context: " + e.getMessage());
        }
        String name = dockerfileName == null || dockerfileName.isEmpty() ? "Dockerfile" : dockerfileName;
        Path file = root.resolve(String.join("/", ScopedPath.resolve(root, name, true)));
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw AgentException.invalidArgument("Cannot locate specified Dockerfile: " + name);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path ignore = root.resolve(".dockerignore");
        if (Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)) {
            removeIgnored(root, IgnorePatterns.parse(Files.readString(ignore, StandardCharsets.UTF_8)));
        }
        return new BuildContext(root, text);
    }

    String dockerfile() {
        return dockerfile;
    }

    Path root() {
        return root;
    }

    /**
     * The context paths a COPY/ADD source names, relative to the root with every symlink resolved inside it;
     * a pattern with {@code * ? [} matches each path's components as Go's filepath.Match.
     */
    List<List<String>> sources(String src) throws IOException {
        return sources(root, src);
    }

    /** As {@link #sources(String)} inside any root (a stage's image for COPY --from). */
    static List<List<String>> sources(Path root, String src) throws IOException {
        String clean = IgnorePatterns.clean(src.startsWith("/") ? src.substring(1) : src);
        if (clean.equals("..") || clean.startsWith("../")) {
            throw AgentException.invalidArgument("forbidden path outside the build context: " + src);
        }
        List<List<String>> out = new ArrayList<>();
        if (clean.chars().anyMatch(c -> c == '*' || c == '?' || c == '[')) {
            java.util.regex.Pattern p = java.util.regex.Pattern.compile(IgnorePatterns.regex(clean));
            try (var walk = Files.walk(root)) {
                for (Path f : walk.sorted().toList()) {
                    String rel = root.relativize(f).toString();
                    if (!rel.isEmpty() && p.matcher(rel).matches()) {
                        out.add(ScopedPath.resolve(root, rel, true));
                    }
                }
            }
            if (out.isEmpty()) {
                throw AgentException.invalidArgument("COPY failed: no source files were specified");
            }
            return out;
        }
        List<String> parts = ScopedPath.resolve(root, clean, true);
        if (!Files.exists(root.resolve(String.join("/", parts)), LinkOption.NOFOLLOW_LINKS)) {
            throw AgentException.notFound("COPY failed: file not found in build context or excluded by .dockerignore: stat "
                    + clean + ": file does not exist");
        }
        out.add(parts);
        return out;
    }

    /** Deletes excluded files, and excluded directories left empty (an exception may keep something below). */
    private static void removeIgnored(Path root, IgnorePatterns patterns) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (patterns.excludes(root.relativize(file).toString())) {
                    Files.delete(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (!dir.equals(root) && patterns.excludes(root.relativize(dir).toString())) {
                    try (var list = Files.list(dir)) {
                        if (list.findAny().isEmpty()) {
                            Files.delete(dir);
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
