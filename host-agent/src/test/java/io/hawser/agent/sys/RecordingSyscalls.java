package io.hawser.agent.sys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link Syscalls} for unit tests: records every call as a line ("mount overlay overlay /m
 * flags=0 data=lowerdir=..."), fails the calls a test scripts with {@link #failNext}, and answers
 * {@link #processExists} from {@link #livePids}. Lets mount and signal sequencing be tested without a kernel.
 */
public final class RecordingSyscalls implements Syscalls {

    private final List<String> calls = new ArrayList<>();
    private final Map<String, Integer> failures = new HashMap<>();
    public final Set<Integer> livePids = new HashSet<>();

    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The next call whose recorded line starts with {@code prefix} fails with {@code errno}. */
    public RecordingSyscalls failNext(String prefix, int errno) {
        failures.put(prefix, errno);
        return this;
    }

    @Override
    public void mount(String source, String target, String fsType, long flags, String data) {
        record("mount " + fsType + " " + source + " " + target + " flags=" + flags + " data=" + data);
    }

    @Override
    public void umount2(String target, int flags) {
        record("umount2 " + target + " flags=" + flags);
    }

    @Override
    public void kill(int pid, int signal) {
        record("kill " + pid + " " + signal);
        if (!livePids.contains(pid)) {
            throw new SyscallException("kill " + pid + " with signal " + signal, ESRCH, "ESRCH", "No such process");
        }
    }

    @Override
    public boolean processExists(int pid) {
        return livePids.contains(pid);
    }

    private void record(String call) {
        calls.add(call);
        for (Map.Entry<String, Integer> f : failures.entrySet()) {
            if (call.startsWith(f.getKey())) {
                failures.remove(f.getKey());
                throw new SyscallException(call, f.getValue(), "errno " + f.getValue(), "scripted failure");
            }
        }
    }
}
