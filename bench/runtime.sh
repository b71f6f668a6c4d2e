#!/usr/bin/env bash
# Hawser runtime benchmark (issue 3): the Hawser agent against Debian's dockerd 20.10 and runc, in one
# run, on one busybox image. Not a test: it prints figures and whether each target is met, and never
# fails because a target is missed. What is measured and how: bench/README.md.
#
#   sudo bash bench/runtime.sh [--runs N] [--containers N] [--log-mb N] [--only agent,dockerd,runc] [--keep]
#
# Progress goes to stderr, the table to stdout; a copy with the raw samples to bench/results/.
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
. "$BENCH_DIR/lib/common.sh"
. "$BENCH_DIR/lib/engines.sh"
. "$BENCH_DIR/lib/measure.sh"
. "$BENCH_DIR/lib/load.sh"
. "$BENCH_DIR/lib/report.sh"

RUNS=20 CONTAINERS=100 LOG_MB=200 ONLY=agent,dockerd,runc KEEP=0 IDLE_SECS=${IDLE_SECS:-5}
IMAGE=hawser-bench/busybox:latest

usage() { sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($#)); do
    case $1 in
        --runs) RUNS=${2:?}; shift ;;
        --containers) CONTAINERS=${2:?}; shift ;;
        --log-mb) LOG_MB=${2:?}; shift ;;
        --only) ONLY=${2:?}; shift ;;
        --keep) KEEP=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
for n in "$RUNS" "$CONTAINERS" "$LOG_MB"; do [[ $n =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; done
wants() { [[ ,$ONLY, == *,$1,* ]]; }
for e in ${ONLY//,/ }; do [[ $e =~ ^(agent|dockerd|runc)$ ]] || { usage >&2; exit 2; }; done

((EUID == 0)) || die "run as root: sudo bash bench/runtime.sh"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 needed (\$EPOCHREALTIME)"

# Tools: Debian packages, installed only when missing.
need=()
{ wants dockerd || wants runc; } && ! command -v dockerd >/dev/null && need+=(docker.io)
command -v jq >/dev/null || need+=(jq)
# busybox-static: ldd fails on a static executable ("not a dynamic executable").
[[ -x /bin/busybox ]] && ! ldd /bin/busybox >/dev/null 2>&1 || need+=(busybox-static)
if ((${#need[@]})); then
    log "installing ${need[*]}"
    apt-get install -y "${need[@]}" >&2 || die "apt-get install ${need[*]} failed"
fi

WORK=$(mktemp -d /tmp/hb.XXXXXX)   # short: unix socket paths under it must fit in 107 bytes
export DOCKER_CONFIG=$WORK/cli     # no user CLI config or context
unset DOCKER_HOST DOCKER_CONTEXT
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
T_START=$(now_us)
R[load_start]=$(cut -d' ' -f1-3 /proc/loadavg)   # other work on the machine skews every figure

# The image: busybox-static and the applets the measurements use, one layer, imported into each engine.
make_rootfs() {
    local r=$WORK/rootfs a
    mkdir -p "$r"/{bin,dev,etc,proc,root,sys,tmp} && cp /bin/busybox "$r/bin/busybox" || return 1
    for a in sh true sleep head tr fold yes cat wc ls ps echo env id; do ln -s busybox "$r/bin/$a"; done
    echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
    echo 'root:x:0:' >"$r/etc/group"
    tar --numeric-owner --owner=0 --group=0 -C "$r" -cf "$WORK/busybox.tar" bin dev etc proc root sys tmp
}
make_rootfs || die "cannot build the busybox rootfs"

import_image() {
    dk import "$WORK/busybox.tar" "$IMAGE" >/dev/null 2>"$WORK/err" || { err_text $? "$WORK/err"; return 1; }
}

# all_failed ENGINE TEXT : every cell of an engine that could not get going.
all_failed() {
    local m
    for m in idle_rss cli_run api_start ps shim_rss log_rate log_lost; do R[$1.$m]="n/a (error: $2)"; done
    log "$1: $2"
}

# run_engine ENGINE : the whole sequence against one engine, alone on the machine.
run_engine() {
    local e=$1 why
    log "=== $e"
    if [[ $e == dockerd ]]; then
        start_dockerd || { all_failed dockerd "start: $START_ERR"; stop_dockerd; return; }
        CUR_SOCK=$WORK/d.sock; measure_idle_rss dockerd "$DOCKERD_PID" "$CONTAINERD_PID"
    else
        start_agent || { all_failed agent "start: $START_ERR"; stop_agent; return; }
        CUR_SOCK=$WORK/a.sock; measure_idle_rss agent "$AGENT_PID"
    fi
    R[$e.version]=$(curl -s --max-time 5 --unix-socket "$CUR_SOCK" http://localhost/version |
        jq -r '"\(.Version) (\(.GitCommit))"' 2>/dev/null)
    if why=$(import_image); then
        measure_cli_run "$e"
        measure_api_start "$e"
        measure_logs "$e"
        measure_many "$e"
    else
        local idle=${R[$e.idle_rss]}
        all_failed "$e" "import: $why"; R[$e.idle_rss]=$idle
    fi
    remove_containers
    if [[ $e == dockerd ]]; then stop_dockerd; else stop_agent; sweep_agent_leftovers; fi
}

wants dockerd && run_engine dockerd
wants runc && measure_runc
wants agent && run_engine agent

R[wall_s]=$(awk -v us=$(($(now_us) - T_START)) 'BEGIN { printf "%.0f", us / 1e6 }')
report
