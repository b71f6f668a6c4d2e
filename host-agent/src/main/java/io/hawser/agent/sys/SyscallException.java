package io.hawser.agent.sys;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;

/** A failed system call; {@link #errno()} lets callers act on specific failures (ESRCH, EBUSY...). */
public final class SyscallException extends AgentException {

    private final int errno;

    public SyscallException(String operation, int errno, String errnoName, String description) {
        super(ErrorKind.SYSTEM, operation + " failed: " + errnoName + " (" + description + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
