#!/usr/bin/env bash
# Hawser image benchmark (issue 4): docker build (cold and cached), commit, exec latency, save and load
# of a 50 MB image, the Hawser agent against Debian's dockerd 20.10 in one run, on one busybox image.
# Not a test: it prints figures and whether each target (at most half of dockerd's time) is met, and
# never fails because a target is missed. What is measured and how: bench/README.md.
#
#   sudo bash bench/images.sh [--runs N] [--exec-runs N] [--big-mb N] [--only agent,dockerd] [--keep]
#
# Progress goes to stderr, the table to stdout; a copy with the raw samples to bench/results/.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
. "$BENCH_DIR/lib/common.sh"
. "$BENCH_DIR/lib/engines.sh"
. "$BENCH_DIR/lib/images.sh"
. "$BENCH_DIR/lib/report.sh"

RUNS=5 EXEC_RUNS=20 BIG_MB=50 ONLY=agent,dockerd KEEP=0
IMAGE=hawser-bench/busybox:latest

usage() { sed -n '2,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($#)); do
    case $1 in
        --runs) RUNS=${2:?}; shift ;;
        --exec-runs) EXEC_RUNS=${2:?}; shift ;;
        --big-mb) BIG_MB=${2:?}; shift ;;
        --only) ONLY=${2:?}; shift ;;
        --keep) KEEP=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
for n in "$RUNS" "$EXEC_RUNS" "$BIG_MB"; do [[ $n =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; done
wants() { [[ ,$ONLY, == *,$1,* ]]; }
for e in ${ONLY//,/ }; do [[ $e =~ ^(agent|dockerd)$ ]] || { usage >&2; exit 2; }; done

((EUID == 0)) || die "run as root: sudo bash bench/images.sh"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 needed (\$EPOCHREALTIME)"

need=()
wants dockerd && ! command -v dockerd >/dev/null && need+=(docker.io)
command -v jq >/dev/null || need+=(jq)
[[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
if ((${#need[@]})); then
    log "installing ${need[*]}"
    apt-get install -y "${need[@]}" >&2 || die "apt-get install ${need[*]} failed"
fi

WORK=$(mktemp -d /tmp/hb.XXXXXX)   # short: unix socket paths under it must fit in 107 bytes
export DOCKER_CONFIG=$WORK/cli
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_BUILDKIT
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
T_START=$(now_us)
R[load_start]=$(cut -d' ' -f1-3 /proc/loadavg)

# The image: as runtime.sh's (busybox-static, one layer), with the applets these steps use as well.
# The big image is the same tree plus /data.bin, BIG_MB MB (10^6 bytes) of random data, so that
# compression or sparse files cannot shrink it; it is imported, one layer.
make_images() {
    local r=$WORK/rootfs a
    mkdir -p "$r"/{bin,dev,etc,proc,root,sys,tmp} && cp /bin/busybox "$r/bin/busybox" || return 1
    for a in sh true sleep head tr fold yes cat wc ls ps echo env id mkdir rm grep sha256sum; do
        ln -s busybox "$r/bin/$a"
    done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    echo 'root:x:0:' >"$r/etc/group"
    tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$WORK/busybox.tar" bin dev etc proc root sys tmp &&
        head -c $((BIG_MB * 1000000)) /dev/urandom >"$WORK/data.bin" &&
        BIG_SUM=$(sha256sum "$WORK/data.bin" | cut -d' ' -f1) &&
        cp "$WORK/busybox.tar" "$WORK/big.tar" &&
        tar --numeric-owner --owner=0 --group=0 -C "$WORK" -rf "$WORK/big.tar" data.bin &&
        rm "$WORK/data.bin"
}
make_images || die "cannot build the images' trees"
make_build_context || die "cannot write the build context"

METRICS=(build_cold build_cached commit exec save load)

all_failed() {
    local m
    for m in "${METRICS[@]}"; do R[$1.$m]="n/a (error: $2)"; done
    log "$1: $2"
}

# run_engine ENGINE : the whole sequence against one engine, alone on the machine.
run_engine() {
    local e=$1 out
    log "=== $e"
    if [[ $e == dockerd ]]; then
        start_dockerd || { all_failed dockerd "start: $START_ERR"; stop_dockerd; return; }
        CUR_SOCK=$WORK/d.sock
    else
        start_agent || { all_failed agent "start: $START_ERR"; stop_agent; return; }
        CUR_SOCK=$WORK/a.sock
    fi
    R[$e.version]=$(curl -s --max-time 5 --unix-socket "$CUR_SOCK" http://localhost/version |
        jq -r '"\(.Version) (\(.GitCommit))"' 2>/dev/null)
    if dk import "$WORK/busybox.tar" "$IMAGE" >/dev/null 2>"$WORK/err"; then
        measure_cli_floor "$e"
        measure_build "$e"
        measure_commit "$e"
        measure_exec "$e"
        measure_save_load "$e"
    else
        all_failed "$e" "import: $(err_text 1 "$WORK/err")"
    fi
    remove_containers
    if [[ $e == dockerd ]]; then stop_dockerd; else stop_agent; sweep_agent_leftovers; fi
}

# The engines one after the other, never side by side, so they do not compete for the CPUs.
wants dockerd && run_engine dockerd
wants agent && run_engine agent

R[wall_s]=$(awk -v us=$(($(now_us) - T_START)) 'BEGIN { printf "%.0f", us / 1e6 }')

# met METRIC : the verdict of "agent <= half of dockerd"; NO when the agent's result was wrong.
met() {
    if [[ -n ${R[agent.bad_$1]:-} ]]; then echo "NO (${R[agent.bad_$1]})"; return; fi
    verdict 'a <= b * 0.5' "$(cell agent "$1")" "$(cell dockerd "$1")"
}

row() {
    local a d
    a=$(cell agent "$2") d=$(cell dockerd "$2")
    TABLE+=("$1	$a	$d	$(rel "$a" "$d" dockerd)	<= 0.5 of dockerd	$(met "$2")")
}

report_images() {
    local out e
    TABLE=("metric, median ms	agent	dockerd	ratio	target	met")
    row "docker build, 5 steps, cold (--no-cache)" build_cold
    row "docker build, 5 steps, cached" build_cached
    row "docker commit, stopped container, 5 changes" commit
    row "docker exec CONTAINER true" exec
    row "docker save -o, $BIG_MB MB image" save
    row "docker load -i, $BIG_MB MB image" load
    out=$(
        echo "Hawser image benchmark, $(date -Is), whole run ${R[wall_s]} s"
        machine_facts | sed '$d'
        echo "image: $IMAGE (busybox-static, one layer), $BIG_IMAGE (the same plus $BIG_MB MB random, one layer); --network none"
        echo "runs $RUNS (build, commit, save, load), $EXEC_RUNS (exec), each after one warm-up"
        echo
        print_table
        echo
        for e in agent dockerd; do
            wants "$e" || continue
            echo "$e: cached build steps from cache ${R[$e.build_cache_hits]:-n/a}; built image: ${R[$e.build_check]:-n/a} (expected $BUILD_EXPECT);" \
                "committed image: ${R[$e.commit_check]:-n/a} (expected one two 100000 1 1); save archive ${R[$e.save_bytes]:-n/a} bytes;" \
                "loaded image: ${R[$e.load_check]:-n/a}; docker version (the CLI's floor) ${R[$e.cli_floor]:-n/a} ms"
        done
    )
    printf '%s\n' "$out"
    write_results "$out" images
}
report_images
