# The measurements of bench/images.sh (issue 4): build, commit, exec, save and load. Sourced, not run.
# Each takes the engine name (agent, dockerd) and talks to $CUR_SOCK through dk; a failing step stores
# an error cell and returns, so one engine's gap never stops the other figures.

LABEL="hawser-bench=$$"
RUN_FLAGS=(--network none --pull never --label "$LABEL")   # as in runtime.sh, see measure.sh
declare -A SAMPLES=()   # raw samples (microseconds) for the results file
BIG_IMAGE=hawser-bench/big:latest

# oneline : the lines of stdin joined by spaces, for a content check's note.
oneline() { tr -s '\n' ' ' | sed 's/ $//'; }

# no_prep I : the default untimed step before each timed run of repeat_timed.
no_prep() { :; }

# repeat_timed ENGINE METRIC WARMUPS RUNS PREP CMD... : WARMUPS + RUNS times, PREP I (a function, not
# timed; I is the run's index) then CMD (timed: wall time of the whole process, as a user sees it).
# Stores the median of the last RUNS samples; CMD's output of the last run stays in $WORK/out.
# A failure of either stores the error cell and returns 1.
repeat_timed() {
    local e=$1 m=$2 w=$3 n=$4 prep=$5 i t0 rc samples=()
    shift 5
    for ((i = 0; i < w + n; i++)); do
        "$prep" "$i" >"$WORK/out" 2>"$WORK/err" || { fail "$e" "$m" "$(err_text $? "$WORK/err")"; return 1; }
        t0=$(now_us)
        "$@" >"$WORK/out" 2>"$WORK/err"
        rc=$?
        ((rc == 0)) || { fail "$e" "$m" "$(err_text $rc "$WORK/err")"; return 1; }
        ((i >= w)) && samples+=($(($(now_us) - t0)))
    done
    R[$e.$m]=$(median_ms "${samples[@]}")
    SAMPLES[$e.$m]="${samples[*]}"
    log "$e: $m median ${R[$e.$m]} ms (min/max $(spread_ms "${samples[@]}"), $n runs)"
}

# make_build_context : five steps (FROM, RUN, COPY, ENV, RUN) over the bench image, and a small file.
make_build_context() {
    local c=$WORK/ctx
    mkdir -p "$c" || return 1
    head -c 3000 /dev/urandom | base64 >"$c/small.txt"
    BUILD_EXPECT="$(($(wc -l <"$c/small.txt") + 2)) four"   # lines of /both.txt, then $HB_STEP
    cat >"$c/Dockerfile" <<EOF
FROM $IMAGE
RUN echo built >/built.txt
COPY small.txt /small.txt
ENV HB_STEP=four
RUN cat /built.txt /small.txt >/both.txt && echo "\$HB_STEP" >>/both.txt
EOF
}

# build ARGS... : the classic builder (DOCKER_BUILDKIT=0), no network for RUN (neither engine has one
# set up here); the CLI prints each step on stdout.
build() { DOCKER_BUILDKIT=0 DK_TIMEOUT=300 dk build --network none "$@" "$WORK/ctx"; }

# measure_build ENGINE : cold builds (--no-cache), then cached ones (the untimed warm-up fills the cache
# or finds it filled). A cached build must report the 4 steps after FROM as "Using cache", and the image
# must hold the files; otherwise the figure stands but its verdict is NO (R[ENGINE.bad_METRIC]).
measure_build() {
    local e=$1 out hits
    log "$e: docker build, 5 steps, $RUNS cold then $RUNS cached"
    repeat_timed "$e" build_cold 1 "$RUNS" no_prep build --no-cache -t hawser-bench/built:cold
    repeat_timed "$e" build_cached 1 "$RUNS" no_prep build -t hawser-bench/built:cached || return
    hits=$(grep -ci 'using cache' "$WORK/out")
    R[$e.build_cache_hits]="$hits of 4"
    ((hits == 4)) || { R[$e.bad_build_cached]="$hits of 4 steps cached"; log "$e: the cached build reused $hits of 4 steps"; }
    out=$(dk run --rm "${RUN_FLAGS[@]}" hawser-bench/built:cached sh -c 'cat /both.txt | wc -l; echo $HB_STEP' 2>&1 | oneline)
    R[$e.build_check]=$out
    [[ $out == "$BUILD_EXPECT" ]] || { R[$e.bad_build_cold]="wrong content"; R[$e.bad_build_cached]="wrong content"; log "$e: the built image's content is unexpected: $out"; }
}

# measure_commit ENGINE : a stopped container (no engine pauses it) that added, changed and deleted a few
# files; docker commit of it, each run to the same tag. The last image is run once to check the changes.
measure_commit() {
    local e=$1 id rc out
    log "$e: docker commit x $RUNS"
    id=$(dk run -d "${RUN_FLAGS[@]}" "$IMAGE" sh -c 'echo one >/one; mkdir /data; echo two >/data/two;
        head -c 100000 /dev/urandom >/data/blob; echo bench:x:1000:1000::/:/bin/sh >>/etc/passwd; rm /etc/group' 2>"$WORK/err")
    rc=$?
    ((rc == 0)) || { fail "$e" commit "run: $(err_text $rc "$WORK/err")"; return; }
    out=$(dk wait "$id" 2>"$WORK/err") && [[ $out == 0 ]] || { fail "$e" commit "wait: exit ${out:-?}: $(err_text 1 "$WORK/err")"; return; }
    repeat_timed "$e" commit 1 "$RUNS" no_prep dk commit "$id" hawser-bench/committed:latest || return
    out=$(dk run --rm "${RUN_FLAGS[@]}" hawser-bench/committed:latest sh -c \
        'cat /one /data/two; wc -c </data/blob; grep -c bench /etc/passwd; ls /etc/group 2>&1 >/dev/null | wc -l' 2>&1 | oneline)
    R[$e.commit_check]=$out
    [[ $out == "one two 100000 1 1" ]] || { R[$e.bad_commit]="wrong content"; log "$e: the committed image's content is unexpected: $out"; }
    DK_TIMEOUT=60 dk rm -f "$id" >/dev/null 2>&1
}

# measure_exec ENGINE : `docker exec CONTAINER true` into a running `sleep` container; one warm-up.
measure_exec() {
    local e=$1 id rc
    log "$e: docker exec true x $EXEC_RUNS"
    id=$(dk run -d "${RUN_FLAGS[@]}" "$IMAGE" sleep 3600 2>"$WORK/err")
    rc=$?
    ((rc == 0)) || { fail "$e" exec "run -d: $(err_text $rc "$WORK/err")"; return; }
    repeat_timed "$e" exec 1 "$EXEC_RUNS" no_prep dk exec "$id" true
    DK_TIMEOUT=60 dk rm -f "$id" >/dev/null 2>&1
}

# measure_cli_floor ENGINE : `docker version` (a ping and one request), the CLI's own cost under every
# figure here; a note, not a target.
measure_cli_floor() {
    repeat_timed "$1" cli_floor 1 "$EXEC_RUNS" no_prep dk version
}

# rmi_big I : before each load, the image is deleted so that every load stores all of it again.
rmi_big() { dk rmi -f "$BIG_IMAGE"; }

# measure_save_load ENGINE : the 50 MB image (imported untimed) saved with `docker save -o` and loaded
# back with `docker load -i` from that archive after deleting the image. The loaded image's big file
# is checksummed in a container against the original.
measure_save_load() {
    local e=$1 rc out arch=$WORK/$1-save.tar
    log "$e: docker save and load of a $BIG_MB MB image x $RUNS"
    DK_TIMEOUT=300 dk import "$WORK/big.tar" "$BIG_IMAGE" >/dev/null 2>"$WORK/err"
    rc=$?
    ((rc == 0)) || { fail "$e" save "import: $(err_text $rc "$WORK/err")"; fail "$e" load "import failed"; return; }
    DK_TIMEOUT=300 repeat_timed "$e" save 1 "$RUNS" no_prep dk save -o "$arch" "$BIG_IMAGE" ||
        { fail "$e" load "save failed"; return; }
    R[$e.save_bytes]=$(stat -c %s "$arch")
    DK_TIMEOUT=300 repeat_timed "$e" load 1 "$RUNS" rmi_big dk load -q -i "$arch" || return
    out=$(dk run --rm "${RUN_FLAGS[@]}" "$BIG_IMAGE" sha256sum /data.bin 2>&1 | cut -d' ' -f1)
    if [[ $out == "$BIG_SUM" ]]; then R[$e.load_check]="data.bin intact"
    else R[$e.load_check]="data.bin: ${out:0:40}"; R[$e.bad_save]="wrong content"; R[$e.bad_load]="wrong content"; log "$e: the loaded image's data.bin: $out"; fi
    rm -f "$arch"
}
