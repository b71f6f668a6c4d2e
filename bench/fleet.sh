#!/usr/bin/env bash
# Hawser fleet load check (issue 5): the console jar with its embedded PostgreSQL, N simulated agents speaking the
# real link protocol (enroll, WebSocket, hello, a synthetic inventory of M containers each, pings, events), then
# the fleet list's latency (grid first page, filters, search), the console's RSS and the event latency.
# Not a test: targets missed print NO, never a failure. What is measured and how: bench/README.md.
#
#   bash bench/fleet.sh [--agents N] [--containers M] [--runs R] [--events E] [--extra-sql FILE] [--keep]
#
# Defaults: 20 agents x 500 containers, 200 timed runs per query, 50 events. Progress on stderr, the table on
# stdout and in bench/results/fleet-<time>.txt. --extra-sql runs FILE against the console's database after the
# load and before the timings (candidate indexes; bench/fleet/search-indexes.sql).
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
AGENTS=20 CONTAINERS=500 RUNS=200 EVENTS=50 KEEP=0 EXTRA_SQL=
ADMIN_PASSWORD=bench-admin-password-0123

usage() { sed -n '2,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

while (($#)); do
    case $1 in
        --agents) AGENTS=${2:?}; shift ;;
        --containers) CONTAINERS=${2:?}; shift ;;
        --runs) RUNS=${2:?}; shift ;;
        --events) EVENTS=${2:?}; shift ;;
        --extra-sql) EXTRA_SQL=$(realpath "${2:?}"); shift ;;
        --keep) KEEP=1 ;;
        -h | --help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
    shift
done
for n in "$AGENTS" "$CONTAINERS" "$RUNS" "$EVENTS"; do [[ $n =~ ^[1-9][0-9]*$ ]] || { usage >&2; exit 2; }; done

JAR=$REPO/target/hawser-console.jar
if [[ ! -f $JAR ]]; then
    log "building the console jar (mvn -B -DskipTests package)"
    (cd "$REPO" && mvn -B -q -DskipTests package) >&2 || die "the build failed"
fi

WORK=$(mktemp -d /tmp/hfb.XXXXXX)
CONSOLE_PID=
teardown() {
    local rc=$?
    if [[ -n $CONSOLE_PID ]] && kill -0 "$CONSOLE_PID" 2>/dev/null; then
        log "stopping the console (pid $CONSOLE_PID)"
        kill -TERM "$CONSOLE_PID" 2>/dev/null
        for _ in $(seq 60); do kill -0 "$CONSOLE_PID" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$CONSOLE_PID" 2>/dev/null && kill -KILL "$CONSOLE_PID" 2>/dev/null
        wait "$CONSOLE_PID" 2>/dev/null
    fi
    # The embedded PostgreSQL stops with the console; should it outlive a killed console, its postmaster.pid names it.
    local pidfile
    pidfile=$(find "$WORK" -name postmaster.pid 2>/dev/null | head -1)
    if [[ -n $pidfile ]]; then
        local pg
        pg=$(head -1 "$pidfile")
        if [[ $pg =~ ^[0-9]+$ ]] && [[ $(cat "/proc/$pg/cmdline" 2>/dev/null | tr '\0' ' ') == *"$WORK"* ]]; then
            log "stopping the leftover PostgreSQL (pid $pg)"
            kill -TERM "$pg"; for _ in $(seq 20); do kill -0 "$pg" 2>/dev/null || break; sleep 0.5; done
            kill -KILL "$pg" 2>/dev/null
        fi
    fi
    if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit "$rc"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log "starting the console (data in $WORK/data, log $WORK/console.log)"
HAWSER_ADMIN_PASSWORD=$ADMIN_PASSWORD PORT=0 \
    java ${HAWSER_CONSOLE_JAVA_OPTS:-} -jar "$JAR" --hawser.data-dir="$WORK/data" --hawser.local-agent.enabled=false \
    >"$WORK/console.log" 2>&1 &
CONSOLE_PID=$!

PORT= PG_PORT=
for _ in $(seq 240); do
    kill -0 "$CONSOLE_PID" 2>/dev/null || { cat "$WORK/console.log" >&2; die "the console exited"; }
    PORT=$(sed -n 's/.*Tomcat started on port \([0-9]*\).*/\1/p' "$WORK/console.log" | head -1)
    PG_PORT=$(sed -n 's/.*Embedded PostgreSQL started on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/console.log" | head -1)
    grep -q "Hawser console is ready" "$WORK/console.log" && [[ -n $PORT && -n $PG_PORT ]] && break
    sleep 0.5
done
[[ -n $PORT && -n $PG_PORT ]] || die "the console did not get ready in 120 s (log: $WORK/console.log)"
log "console on 127.0.0.1:$PORT (pid $CONSOLE_PID), its PostgreSQL on 127.0.0.1:$PG_PORT"

# The PostgreSQL driver, from the console jar itself.
PG_JAR_ENTRY=$(jar tf "$JAR" | grep -m1 '^BOOT-INF/lib/postgresql-.*\.jar$') || die "no PostgreSQL driver in $JAR"
(cd "$WORK" && jar xf "$JAR" "$PG_JAR_ENTRY") || die "cannot extract $PG_JAR_ENTRY"

mkdir -p "$BENCH_DIR/results"
OUT=$BENCH_DIR/results/fleet-$(date -u +%Y%m%dT%H%M%SZ).txt
{
    echo "# $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
    echo "# commit $(git -C "$REPO" rev-parse --short=12 HEAD 2>/dev/null)"
} >"$OUT"
log "running $AGENTS simulated agents x $CONTAINERS containers"
java -cp "$WORK/$PG_JAR_ENTRY" "$BENCH_DIR/fleet/FleetBench.java" \
    --console "http://127.0.0.1:$PORT" --admin-password "$ADMIN_PASSWORD" --jdbc "jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=postgres" \
    --agents "$AGENTS" --containers "$CONTAINERS" --runs "$RUNS" --events "$EVENTS" --console-pid "$CONSOLE_PID" \
    ${EXTRA_SQL:+--extra-sql "$EXTRA_SQL"} | tee -a "$OUT"
rc=${PIPESTATUS[0]}
((rc == 0)) || die "FleetBench failed ($rc); console log: $WORK/console.log (run with --keep to keep it)"
log "results in $OUT"
