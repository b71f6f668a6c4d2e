# Shared helpers of bench/runtime.sh: progress, clocks, statistics, error cells. Sourced, not run.
# Every figure lives in the associative array R under "engine.metric"; a failed step stores
# "n/a (error: <first line>)" there instead of stopping the run.

declare -A R=()

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

die() { log "error: $*"; exit 1; }

# Microseconds since the epoch without forking (bash 5 $EPOCHREALTIME; the separator follows LC_NUMERIC).
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }

# median_ms US... : the median of microsecond samples, in milliseconds with one decimal.
median_ms() {
    printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}

# spread_ms US... : "min/max" in milliseconds, for the results file.
spread_ms() {
    printf '%s\n' "$@" | sort -n | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f/%.1f", lo / 1000, hi / 1000 }'
}

is_num() { [[ ${1:-} =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }

# ratio A B : A/B with two decimals, or "n/a" unless both are numbers and B is not zero.
ratio() {
    if is_num "${1:-}" && is_num "${2:-}" && awk -v b="$2" 'BEGIN { exit !(b != 0) }'; then
        awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
    else
        echo "n/a"
    fi
}

# holds EXPR A B : awk's verdict on a comparison such as "a <= b * 0.25", printed as yes/NO.
holds() { awk -v a="$2" -v b="${3:-0}" "BEGIN { print (($1) ? \"yes\" : \"NO\") }"; }

# err_text RC FILE : why a command failed, in one line: a timeout, else the first non-empty line it
# printed that says error (docker: "Error response from daemon: ..."), else its first line, else its
# exit status.
err_text() {
    local rc=$1 file=$2 line=""
    if ((rc == 124)); then echo "timed out"; return; fi
    # docker run prints "Unable to find image ... locally" before the daemon's error: prefer the error.
    [[ -f $file ]] && line=$(grep -m1 -i 'error' "$file" || grep -m1 -v '^[[:space:]]*$' "$file")
    line=$(tr -d '\r' <<<"$line" | sed 's/^docker: //' | cut -c1-90)
    echo "${line:-exit status $rc}"
}

# fail ENGINE METRIC TEXT : record a failed cell and say so on stderr.
fail() {
    R[$1.$2]="n/a (error: $3)"
    log "$1 $2: n/a ($3)"
}

# rss_kb PID : VmRSS of a live process in KiB (0 when it is gone), from proc(5) /proc/PID/status.
rss_kb() { awk '/^VmRSS:/ { print $2; f = 1 } END { if (!f) print 0 }' "/proc/$1/status" 2>/dev/null || echo 0; }

kb_to_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# print_table : the rows in TABLE (tab-separated) as aligned columns.
print_table() {
    printf '%s\n' "${TABLE[@]}" | awk -F'\t' '
        { for (i = 1; i <= NF; i++) { cell[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR; if (NF > nf) nf = NF }
        END { for (r = 1; r <= n; r++) { line = ""
                for (i = 1; i <= nf; i++) line = line sprintf(i < nf ? "%-" w[i] "s  " : "%s", cell[r, i])
                print line } }'
}
