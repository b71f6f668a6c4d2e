# The measurements under load of bench/runtime.sh: many running containers, and a lot of output.
# Sourced, not run.

# shim_pids ENGINE : the per-container supervisors of this run's engine: hawser-shim processes run from
# the agent's data root; for dockerd, containerd-shim-runc-v2 processes of its own containerd (their
# command line names its socket under dockerd's exec root).
shim_pids() {
    local p
    if [[ $1 == agent ]]; then pids_with_exe "$WORK/a/bin/hawser-shim"; return; fi
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/exe" 2>/dev/null) == */containerd-shim-runc-v2 ]] || continue
        tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "-address $WORK/d/exec/" && echo "${p#/proc/}"
    done
}

# measure_many ENGINE : start $CONTAINERS `sleep 3600` containers with -d (4 CLI processes at a time),
# then the median wall time of `docker ps` over $RUNS runs, and the shims' VmRSS per container.
measure_many() {
    local e=$1 i t0 rc n samples=() p sum=0 shims=0
    log "$e: starting $CONTAINERS containers (sleep 3600)"
    t0=$(now_us)
    dk run -d "${RUN_FLAGS[@]}" "$IMAGE" sleep 3600 >/dev/null 2>"$WORK/err"
    rc=$?
    ((rc == 0)) || { fail "$e" ps "run -d: $(err_text $rc "$WORK/err")"; fail "$e" shim_rss "run -d failed"; return; }
    : >"$WORK/err"
    local batch=()   # waited for by PID: a bare `wait` would also wait for the engine itself
    for ((i = 2; i <= CONTAINERS; i++)); do
        dk run -d "${RUN_FLAGS[@]}" "$IMAGE" sleep 3600 >/dev/null 2>>"$WORK/err" &
        batch+=($!)
        ((${#batch[@]} == 4)) && { wait "${batch[@]}"; batch=(); }
    done
    ((${#batch[@]})) && wait "${batch[@]}"
    R[$e.start_many_s]=$(awk -v us=$(($(now_us) - t0)) 'BEGIN { printf "%.1f", us / 1e6 }')
    n=$(DK_TIMEOUT=60 dk ps -q --filter "label=$LABEL" --filter status=running 2>/dev/null | wc -l)
    log "$e: $n of $CONTAINERS running after ${R[$e.start_many_s]} s"
    if ((n != CONTAINERS)); then
        fail "$e" ps "$n of $CONTAINERS running: $(err_text 1 "$WORK/err")"
    else
        for ((i = 0; i <= RUNS; i++)); do
            t0=$(now_us)
            dk ps >/dev/null 2>"$WORK/err"
            rc=$?
            ((rc == 0)) || { fail "$e" ps "$(err_text $rc "$WORK/err")"; break; }
            ((i > 0)) && samples+=($(($(now_us) - t0)))
        done
        if ((${#samples[@]} == RUNS)); then
            R[$e.ps]=$(median_ms "${samples[@]}")
            SAMPLES[$e.ps]="${samples[*]}"
            log "$e: docker ps median ${R[$e.ps]} ms"
        fi
    fi
    local pss=0
    for p in $(shim_pids "$e"); do
        sum=$((sum + $(rss_kb "$p"))); shims=$((shims + 1))
        pss=$((pss + $(awk '/^Pss:/ { print $2; f = 1 } END { if (!f) print 0 }' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)))
    done
    if ((n > 0 && shims > 0)); then
        R[$e.shim_rss]=$(awk -v k="$sum" -v n="$n" 'BEGIN { printf "%.2f", k / n / 1024 }')
        R[$e.shim_pss]=$(awk -v k="$pss" -v n="$n" 'BEGIN { printf "%.2f", k / n / 1024 }')
        R[$e.shim_count]=$shims
        log "$e: $shims shims, $(kb_to_mb "$sum") MB VmRSS in all, ${R[$e.shim_rss]} MB per running container"
    else
        fail "$e" shim_rss "$n running containers, $shims shim processes found"
    fi
    remove_containers
}

# measure_logs ENGINE : a container writes $LOG_MB MB (10^6 bytes) to stdout as 100-byte lines (99 'x'
# and a newline, busybox yes | head -c); the clock runs from `docker run -d` until `docker logs` has
# returned everything. Bytes lost = written - returned. A second, untimed read checks every line.
measure_logs() {
    local e=$1 bytes=$((LOG_MB * 1000000)) line id rc t0 t1 got code check
    line=$(printf 'x%.0s' {1..99})
    log "$e: container writing $LOG_MB MB to stdout"
    t0=$(now_us)
    id=$(dk run -d "${RUN_FLAGS[@]}" "$IMAGE" sh -c "yes $line | head -c $bytes" 2>"$WORK/err")
    rc=$?
    ((rc == 0)) || { fail "$e" log_rate "run -d: $(err_text $rc "$WORK/err")"; R[$e.log_lost]=${R[$e.log_rate]}; return; }
    code=$(DK_TIMEOUT=900 dk wait "$id" 2>"$WORK/err")
    rc=$?
    t1=$(now_us)
    ((rc == 0)) && [[ $code == 0 ]] ||
        { fail "$e" log_rate "wait: exit ${code:-?}: $(err_text $rc "$WORK/err")"; R[$e.log_lost]=${R[$e.log_rate]}; return; }
    got=$(DK_TIMEOUT=900 dk logs "$id" 2>"$WORK/err" | wc -c)
    rc=${PIPESTATUS[0]}
    ((rc == 0)) || { fail "$e" log_rate "logs: $(err_text $rc "$WORK/err")"; R[$e.log_lost]=${R[$e.log_rate]}; return; }
    R[$e.log_rate]=$(awk -v b="$got" -v us=$(($(now_us) - t0)) 'BEGIN { printf "%.1f", b / us }')
    R[$e.log_lost]=$((bytes - got))
    R[$e.log_write_s]=$(awk -v us=$((t1 - t0)) 'BEGIN { printf "%.1f", us / 1e6 }')
    R[$e.log_read_s]=$(awk -v us=$(($(now_us) - t1)) 'BEGIN { printf "%.1f", us / 1e6 }')
    check=$(DK_TIMEOUT=900 dk logs "$id" 2>/dev/null | awk 'length($0) != 99 || $0 ~ /[^x]/ { bad++ } END { print NR + 0, bad + 0 }')
    R[$e.log_lines]=$check
    log "$e: $got of $bytes bytes back, ${R[$e.log_rate]} MB/s (run to exit ${R[$e.log_write_s]} s, logs ${R[$e.log_read_s]} s); lines/bad: $check"
    DK_TIMEOUT=60 dk rm -f "$id" >/dev/null 2>&1
}
