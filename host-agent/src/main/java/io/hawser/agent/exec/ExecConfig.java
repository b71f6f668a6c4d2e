package io.hawser.agent.exec;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The body of {@code POST /containers/{id}/exec} (moby api/types ExecConfig), the fields the agent acts on. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecConfig(
        @JsonProperty("User") String user,
        @JsonProperty("Privileged") boolean privileged,
        @JsonProperty("Tty") boolean tty,
        @JsonProperty("AttachStdin") boolean attachStdin,
        @JsonProperty("AttachStderr") boolean attachStderr,
        @JsonProperty("AttachStdout") boolean attachStdout,
        @JsonProperty("Detach") boolean detach,
        @JsonProperty("DetachKeys") String detachKeys,
        @JsonProperty("Env") List<String> env,
        @JsonProperty("WorkingDir") String workingDir,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) @JsonProperty("Cmd") List<String> cmd) {

    public ExecConfig {
        user = user == null ? "" : user;
        detachKeys = detachKeys == null ? "" : detachKeys;
        env = env == null ? List.of() : List.copyOf(env);
        workingDir = workingDir == null ? "" : workingDir;
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
    }
}
