package io.hawser.agent.exec;

import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * One exec instance, in memory only (as dockerd's: an agent restart forgets them; a detached exec's
 * process keeps running, its exit code is then unknown). States: created, running (pid set), exited.
 */
public final class ExecInstance {

    private final String id;
    private final String containerId;
    private final ExecConfig config;
    private boolean started;
    private boolean running;
    private Integer exitCode;
    private long pid;
    private Process process;
    private Path sizeFile;

    ExecInstance(String id, String containerId, ExecConfig config) {
        this.id = id;
        this.containerId = containerId;
        this.config = config;
    }

    public String id() { return id; }
    public String containerId() { return containerId; }
    public ExecConfig config() { return config; }
    public synchronized boolean running() { return running; }
    public synchronized long pid() { return pid; }
    synchronized Process process() { return process; }
    synchronized Path sizeFile() { return sizeFile; }

    public synchronized OptionalInt exitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }

    /** dockerd's two refusals of a second start (daemon/exec.go ContainerExecStart). */
    synchronized void claim() {
        if (running) {
            throw AgentException.conflict("Error: Exec command " + id + " is already running");
        }
        if (started) {
            throw AgentException.conflict("Error: Exec command " + id + " has already run");
        }
        started = true;
    }

    synchronized void started(Process p, Path size) {
        process = p;
        pid = p.pid();
        sizeFile = size;
        running = true;
    }

    /** Records the exit once; false when it was already recorded. */
    synchronized boolean finish(int code) {
        if (exitCode != null) {
            return false;
        }
        exitCode = code;
        running = false;
        return true;
    }
}
