# Starting, stopping and sweeping up after the engines of bench/runtime.sh. Sourced, not run.
# Each engine gets its own paths under $WORK and its own socket; PIDs are kept so that teardown
# ends exactly the processes this run started (never by name).

DOCKERD_PID="" CONTAINERD_PID="" AGENT_PID="" START_ERR=""
CUR_SOCK=""   # the socket the dk helper talks to

# dk ARGS... : the docker CLI against the current engine, bounded by $DK_TIMEOUT seconds (default 60).
dk() { timeout --kill-after=5 "${DK_TIMEOUT:-60}" docker -H "unix://$CUR_SOCK" "$@"; }

# alive PID : the process exists and is not a zombie (pid 1 here may not reap orphans, and kill -0
# succeeds on a zombie).
alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $st && ${st:0:1} != Z ]]
}

# wait_ready SOCK PID LOG : until GET /_ping answers OK (60 s), or the process died.
wait_ready() {
    local sock=$1 pid=$2 logf=$3 i
    for ((i = 0; i < 300; i++)); do
        alive "$pid" || { echo "exited: $(tail -n 3 "$logf" | tr '\n' ' ' | cut -c1-160)"; return 1; }
        [[ -S $sock ]] && [[ $(curl -s --max-time 2 --unix-socket "$sock" http://localhost/_ping) == OK ]] && return 0
        sleep 0.2
    done
    echo "no answer on $sock after 60 s"; return 1
}

# stop_pid PID NAME : SIGTERM, up to 30 s of grace, then SIGKILL.
stop_pid() {
    local pid=$1 name=$2 i
    [[ -n $pid ]] && alive "$pid" || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 150; i++)); do alive "$pid" || break; sleep 0.2; done
    if alive "$pid"; then log "$name did not stop after 30 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null; fi
    wait "$pid" 2>/dev/null
}

# Debian's dockerd with nothing shared with a system daemon: own config file (so /etc/docker/daemon.json
# does not apply), data root, exec root (its managed containerd lives there too), socket, pid file and
# cgroup parent; no bridge and no iptables because every container runs with --network none.
# Called in the main shell (not in $(...)) so the daemons stay its children; on failure sets START_ERR.
start_dockerd() {
    local d=$WORK/d
    mkdir -p "$d" && echo '{}' >"$d/daemon.json"
    [[ -S /run/containerd/containerd.sock ]] &&
        log "warning: /run/containerd/containerd.sock exists; dockerd 20.10 then uses that containerd"
    setsid dockerd --config-file "$d/daemon.json" --data-root "$d/root" --exec-root "$d/exec" \
        -H "unix://$WORK/d.sock" --pidfile "$d/dockerd.pid" --bridge none --iptables=false \
        --ip6tables=false --cgroup-parent "/hawser-bench-$$-dockerd" --log-level warn \
        </dev/null >"$d/dockerd.log" 2>&1 &
    DOCKERD_PID=$!
    START_ERR=$(wait_ready "$WORK/d.sock" "$DOCKERD_PID" "$d/dockerd.log") || return 1
    CONTAINERD_PID=$(pgrep -P "$DOCKERD_PID" -x containerd | head -n1)
}

stop_dockerd() {
    stop_pid "$DOCKERD_PID" dockerd
    # dockerd stops the containerd it manages; make sure, by the PID we saw.
    stop_pid "$CONTAINERD_PID" containerd
    DOCKERD_PID="" CONTAINERD_PID=""
}

# The agent from its jar, built when missing. Flags it does not know yet (--cgroup-parent, a run
# directory) are passed only when its --help lists them.
start_agent() {
    local jar=$REPO/host-agent/target/hawser-agent.jar a=$WORK/a help flag
    if [[ ! -f $jar ]]; then
        log "building $jar"
        (cd "$REPO" && mvn -B -q -DskipTests -pl host-agent package) >"$WORK/agent-build.log" 2>&1 ||
            { START_ERR="build failed: $(err_text 1 "$WORK/agent-build.log")"; return 1; }
    fi
    mkdir -p "$a"
    help=$(java -jar "$jar" --help 2>&1)
    AGENT_FLAGS=(--data-root "$a" --socket "$WORK/a.sock")
    grep -q -- '--cgroup-parent' <<<"$help" && AGENT_FLAGS+=(--cgroup-parent "hawser-bench-$$")
    for flag in --exec-root --run-root --run-dir; do
        grep -q -- "$flag" <<<"$help" && AGENT_FLAGS+=("$flag" "$WORK/ar")
    done
    # shellcheck disable=SC2086 # HAWSER_JAVA_OPTS is a list of JVM options
    setsid java ${HAWSER_JAVA_OPTS:-} -jar "$jar" "${AGENT_FLAGS[@]}" </dev/null >"$WORK/agent.log" 2>&1 &
    AGENT_PID=$!
    START_ERR=$(wait_ready "$WORK/a.sock" "$AGENT_PID" "$WORK/agent.log")
}

stop_agent() { stop_pid "$AGENT_PID" hawser-agent; AGENT_PID=""; }

# remove_containers : every container of this run on the current engine (they carry our label).
remove_containers() {
    local ids
    ids=$(DK_TIMEOUT=60 dk ps -aq --filter "label=hawser-bench=$$" 2>/dev/null) || return 0
    [[ -z $ids ]] && return 0
    log "removing $(wc -w <<<"$ids") containers"
    xargs -r -n 10 -P 4 timeout 120 docker -H "unix://$CUR_SOCK" rm -f <<<"$ids" >/dev/null 2>&1
}

# pids_with_exe PATH : live processes whose /proc/PID/exe is PATH.
pids_with_exe() {
    local p
    for p in /proc/[0-9]*; do [[ $(readlink "$p/exe" 2>/dev/null) == "$1" ]] && echo "${p#/proc/}"; done
}

# Containers outlive the agent by design (the shim detaches), so after it stops, whatever the API could
# not remove is ended here: container inits (from the shims' init.pid files, only processes in another
# root) and then the shims, all found under this run's paths.
sweep_agent_leftovers() {
    local f p n=0
    while IFS= read -r f; do
        p=$(<"$f") && [[ $p =~ ^[0-9]+$ ]] || continue
        alive "$p" && [[ $(readlink "/proc/$p/root") != / ]] && { kill -KILL "$p" 2>/dev/null; ((n++)); }
    done < <(find "$WORK/a" "$WORK/ar" -name init.pid 2>/dev/null)
    for p in $(pids_with_exe "$WORK/a/bin/hawser-shim"); do kill -KILL "$p" 2>/dev/null; ((n++)); done
    ((n > 0)) && log "leftover: ended $n agent container/shim processes"
}

# sweep_mounts_and_cgroups : unmount anything still mounted under $WORK (deepest first) and remove this
# run's cgroups; says what it found, because a clean run finds nothing. Returns 1 if a mount stayed.
sweep_mounts_and_cgroups() {
    local m left=0 cg
    while IFS= read -r m; do
        log "leftover mount: $m"; umount -l "$m" 2>/dev/null || left=1
    done < <(awk -v w="$WORK" 'index($5, w) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
    # The parents themselves stay behind normally (dockerd and runc create them, never remove them);
    # a cgroup below one is a leftover container.
    while IFS= read -r cg; do
        find "$cg" -mindepth 1 -type d | grep -q . && log "leftover cgroups under $cg: $(find "$cg" -mindepth 1 -type d | wc -l)"
        find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || log "cannot remove $cg"
    done < <(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -name "hawser-bench-$$*" 2>/dev/null)
    return $left
}

# teardown : the EXIT trap. Idempotent; runs on success, failure and Ctrl-C alike.
teardown() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    log "teardown"
    if [[ -n $DOCKERD_PID ]]; then CUR_SOCK=$WORK/d.sock remove_containers; stop_dockerd; fi
    if [[ -n $AGENT_PID ]]; then CUR_SOCK=$WORK/a.sock remove_containers; stop_agent; fi
    sweep_agent_leftovers
    local id
    for id in $(runc --root "$WORK/runc/state" list -q 2>/dev/null); do runc --root "$WORK/runc/state" delete -f "$id"; done
    if sweep_mounts_and_cgroups; then
        if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
    else
        log "mounts remain under $WORK: not removing it"
    fi
    exit "$rc"
}
