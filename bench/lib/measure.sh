# The measurements of bench/runtime.sh, one function per figure. Sourced, not run.
# Each takes the engine name (agent, dockerd) and talks to $CUR_SOCK; a failing step stores an error
# cell and returns, so one engine's gap never stops the others' figures.

LABEL="hawser-bench=$$"
# --pull never: the image is local on both engines; without it a failed create turns into a pull attempt
# and its error hides the real one.
RUN_FLAGS=(--network none --pull never --label "$LABEL")
declare -A SAMPLES=()   # raw samples (microseconds) for the results file

# measure_idle_rss ENGINE PID [EXTRA_PID] : VmRSS after $IDLE_SECS seconds idle with no containers.
measure_idle_rss() {
    sleep "$IDLE_SECS"
    R[$1.idle_rss]=$(kb_to_mb "$(rss_kb "$2")")
    [[ -n ${3:-} ]] && R[$1.idle_rss_extra]=$(kb_to_mb "$(rss_kb "$3")")
    log "$1 idle RSS ${R[$1.idle_rss]} MB"
}

# measure_cli_run ENGINE : wall time of `docker run --rm IMAGE true` through the CLI, one warm-up run,
# then $RUNS timed runs; the median.
measure_cli_run() {
    local e=$1 i t0 rc samples=()
    log "$e: docker run --rm $IMAGE true x $RUNS"
    for ((i = 0; i <= RUNS; i++)); do
        t0=$(now_us)
        dk run --rm "${RUN_FLAGS[@]}" "$IMAGE" true >/dev/null 2>"$WORK/err"
        rc=$?
        ((rc == 0)) || { fail "$e" cli_run "$(err_text $rc "$WORK/err")"; return; }
        ((i > 0)) && samples+=($(($(now_us) - t0)))
    done
    R[$e.cli_run]=$(median_ms "${samples[@]}")
    SAMPLES[$e.cli_run]="${samples[*]}"
    log "$e: docker run median ${R[$e.cli_run]} ms (min/max $(spread_ms "${samples[@]}"))"
}

# api PATH OUTFILE [BODY] [METHOD] : one Engine API request; prints "HTTP_CODE TIME_TOTAL".
api() {
    curl -sS --max-time 60 --unix-socket "$CUR_SOCK" -X "${4:-POST}" -H 'Content-Type: application/json' \
        --data-binary "${3:-}" -o "$2" -w '%{http_code} %{time_total}' "http://localhost/v1.41$1"
}

# measure_api_start ENGINE : create a `true` container (not timed), then POST /start and POST /wait in
# one curl process; the figure is the sum of the two requests' time_total (connect to last byte), so it
# spans start to exit-recorded without any CLI overhead. Docker Engine API v1.41, ContainerStart and
# ContainerWait (condition not-running: answers at once if the exit is already recorded).
measure_api_start() {
    local e=$1 i body id out code t1 t2 w rest samples=() creates=()
    log "$e: API create, then start+wait x $RUNS"
    body=$(jq -cn --arg img "$IMAGE" --arg l "$$" \
        '{Image: $img, Cmd: ["true"], Labels: {"hawser-bench": $l}, HostConfig: {NetworkMode: "none"}}')
    for ((i = 0; i <= RUNS; i++)); do
        out=$(api /containers/create "$WORK/create.json" "$body" 2>"$WORK/err") ||
            { fail "$e" api_start "create: $(err_text $? "$WORK/err")"; return; }
        [[ ${out%% *} == 201 ]] || { fail "$e" api_start "create: HTTP ${out%% *} $(jq -r .message "$WORK/create.json" 2>/dev/null)"; return; }
        creates+=("$(awk -v t="${out#* }" 'BEGIN { printf "%d", t * 1e6 }')")
        id=$(jq -r .Id "$WORK/create.json")
        out=$(curl -sS --max-time 60 --unix-socket "$CUR_SOCK" -X POST -H 'Content-Type: application/json' \
                --data-binary '' -o "$WORK/start.json" -w '%{http_code} %{time_total}\n' "http://localhost/v1.41/containers/$id/start" \
            --next -sS --max-time 60 --unix-socket "$CUR_SOCK" -X POST -H 'Content-Type: application/json' \
                --data-binary '' -o "$WORK/wait.json" -w '%{http_code} %{time_total}\n' "http://localhost/v1.41/containers/$id/wait" \
            2>"$WORK/err") || { fail "$e" api_start "start/wait: $(err_text $? "$WORK/err")"; return; }
        read -r code t1 rest <<<"$(sed -n 1p <<<"$out")"
        [[ $code == 204 ]] || { fail "$e" api_start "start: HTTP $code $(jq -r .message "$WORK/start.json" 2>/dev/null)"; return; }
        read -r code t2 rest <<<"$(sed -n 2p <<<"$out")"
        w=$(jq -r .StatusCode "$WORK/wait.json" 2>/dev/null)
        [[ $code == 200 && $w == 0 ]] || { fail "$e" api_start "wait: HTTP $code StatusCode $w $(jq -r .message "$WORK/wait.json" 2>/dev/null)"; return; }
        api "/containers/$id?force=1" "$WORK/rm.json" "" DELETE >/dev/null 2>&1
        ((i > 0)) && samples+=("$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%d", (a + b) * 1e6 }')")
    done
    R[$e.api_start]=$(median_ms "${samples[@]}")
    R[$e.api_create]=$(median_ms "${creates[@]:1}")
    SAMPLES[$e.api_start]="${samples[*]}"
    log "$e: start+wait median ${R[$e.api_start]} ms (create ${R[$e.api_create]} ms)"
}

# make_runc_bundle : an OCI bundle from `runc spec` (runc's own defaults) around a copy of the rootfs,
# running `true`, without a terminal, in a cgroup of this run.
make_runc_bundle() {
    local b=$WORK/runc/bundle
    mkdir -p "$b" "$WORK/runc/state" && cp -a "$WORK/rootfs" "$b/rootfs" && runc spec --bundle "$b" || return 1
    jq --arg cg "/hawser-bench-$$-runc/run" '.process.args = ["true"] | .process.terminal = false
        | .linux.cgroupsPath = $cg' "$b/config.json" >"$b/config.new" && mv "$b/config.new" "$b/config.json"
}

# measure_runc : wall time of `runc run` (create, start, wait for exit, delete) of `true`; one warm-up.
measure_runc() {
    local i t0 rc samples=()
    log "runc: runc run x $RUNS"
    make_runc_bundle 2>"$WORK/err" || { fail runc api_start "bundle: $(err_text 1 "$WORK/err")"; return; }
    for ((i = 0; i <= RUNS; i++)); do
        t0=$(now_us)
        timeout 60 runc --root "$WORK/runc/state" run --bundle "$WORK/runc/bundle" "hb$$-$i" </dev/null >/dev/null 2>"$WORK/err"
        rc=$?
        ((rc == 0)) || { fail runc api_start "$(err_text $rc "$WORK/err")"; return; }
        ((i > 0)) && samples+=($(($(now_us) - t0)))
    done
    R[runc.api_start]=$(median_ms "${samples[@]}")
    SAMPLES[runc.api_start]="${samples[*]}"
    log "runc: runc run median ${R[runc.api_start]} ms (min/max $(spread_ms "${samples[@]}"))"
}
