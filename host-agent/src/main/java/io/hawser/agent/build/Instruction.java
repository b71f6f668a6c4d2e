package io.hawser.agent.build;

import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction as the parser reads it (moby buildkit frontend/dockerfile/parser): the keyword
 * upper-cased, the {@code --name=value} flags in front of the arguments, the rest of the line (continuations
 * joined), and the JSON (exec) form when the rest is a JSON array of strings.
 *
 * @param line the 1-based line the instruction starts on, for error messages
 * @param original the instruction as written (continuations joined), as ONBUILD records it
 */
public record Instruction(int line, String keyword, Map<String, String> flags, String args, List<String> json, String original) {

    public Instruction {
        flags = Map.copyOf(flags);
        json = json == null ? null : List.copyOf(json);
    }

    /** Whether the arguments were a JSON array (exec form for RUN, CMD, ENTRYPOINT; a list for VOLUME etc.). */
    public boolean isJson() {
        return json != null;
    }
}
