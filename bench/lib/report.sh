# The report of bench/runtime.sh: the table (stdout) and a results file with the raw samples.
# Sourced, not run.

# cell ENGINE METRIC : the figure, "n/a" when the step did not produce one, "not run" when excluded.
cell() {
    wants "$1" || { echo "not run"; return; }
    echo "${R[$1.$2]:-n/a}"
}

# verdict EXPR A B : yes/NO when both figures exist (B may be a constant), else n/a.
verdict() { if is_num "$2" && is_num "$3"; then holds "$1" "$2" "$3"; else echo "n/a"; fi; }

# rel A B NAME : "0.21 of dockerd", or n/a.
rel() { local q; q=$(ratio "$1" "$2"); [[ $q == n/a ]] && echo n/a || echo "$q of $3"; }

machine_facts() {
    local cpu cg=v1
    cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
    [[ -f /sys/fs/cgroup/cgroup.controllers ]] && cg=v2
    echo "machine: ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM, kernel $(uname -r), cgroup $cg, load average at start ${R[load_start]:-?}"
    echo "versions: docker CLI $(docker --version 2>/dev/null | awk '{ sub(",", "", $3); print $3 }'), dockerd ${R[dockerd.version]:-$(dockerd --version 2>/dev/null | awk '{ sub(",", "", $3); print $3 }')}, runc $(runc --version 2>/dev/null | awk 'NR == 1 { print $3 }'), hawser-agent ${R[agent.version]:-?} on $(java -version 2>&1 | head -n1)"
    echo "image: $IMAGE, one layer: $(busybox 2>/dev/null | head -n1 | cut -d' ' -f1-2) (static) and applet links; containers run with --network none"
}

report() {
    local a d n=$CONTAINERS mb=$LOG_MB ddidle
    TABLE=("metric	agent	dockerd	runc	ratio	target	met")
    a=$(cell agent cli_run) d=$(cell dockerd cli_run)
    TABLE+=("docker run --rm true, median ms	$a	$d	-	$(rel "$a" "$d" dockerd)	<= 0.25 of dockerd	$(verdict 'a <= b * 0.25' "$a" "$d")")
    a=$(cell agent api_start) r=$(cell runc api_start)
    TABLE+=("start to exit, median ms (API start+wait | runc run)	$a	$(cell dockerd api_start)	$r	$(rel "$a" "$r" runc)	<= runc	$(verdict 'a <= b' "$a" "$r")")
    a=$(cell agent ps) d=$(cell dockerd ps)
    TABLE+=("docker ps with $n running, median ms	$a	$d	-	$(rel "$a" "$d" dockerd)	(none)	-")
    a=$(cell agent log_rate) d=$(cell dockerd log_rate)
    TABLE+=("logs: $mb MB out until docker logs has all, MB/s	$a	$d	-	$(rel "$a" "$d" dockerd)	>= dockerd	$(verdict 'a >= b' "$a" "$d")")
    a=$(cell agent log_lost)
    TABLE+=("logs: bytes lost of $((mb * 1000000))	$a	$(cell dockerd log_lost)	-	-	0	$(verdict 'a == 0' "$a" 0)")
    a=$(cell agent idle_rss) ddidle=$(cell dockerd idle_rss)
    is_num "$ddidle" && [[ -n ${R[dockerd.idle_rss_extra]:-} ]] && ddidle="$ddidle (+ containerd ${R[dockerd.idle_rss_extra]})"
    TABLE+=("idle RSS, MB (VmRSS)	$a	$ddidle	-	-	< 80	$(verdict 'a < 80' "$a" 0)")
    a=$(cell agent shim_rss)
    TABLE+=("shim VmRSS per running container, MB	$a	$(cell dockerd shim_rss)	-	-	< 2	$(verdict 'a < 2' "$a" 0)")

    local out
    out=$(
        echo "Hawser runtime benchmark, $(date -Is), whole run ${R[wall_s]} s"
        machine_facts
        echo "runs $RUNS (after one warm-up), $CONTAINERS containers, $LOG_MB MB of logs"
        echo
        print_table
        echo
        notes
    )
    printf '%s\n' "$out"
    write_results "$out"
}

# notes : the figures behind the table's, for reading a result rather than just its verdict.
notes() {
    local e
    for e in agent dockerd; do
        wants "$e" || continue
        echo "$e: API create median ${R[$e.api_create]:-n/a} ms; $CONTAINERS x run -d took ${R[$e.start_many_s]:-n/a} s;" \
            "logs: run to exit ${R[$e.log_write_s]:-n/a} s, docker logs ${R[$e.log_read_s]:-n/a} s, lines/malformed ${R[$e.log_lines]:-n/a};" \
            "shim processes ${R[$e.shim_count]:-n/a}, shim Pss per container ${R[$e.shim_pss]:-n/a} MB"
    done
    wants dockerd && echo "dockerd's shim is containerd-shim-runc-v2 (one per container). VmRSS counts shared pages (program text) in every process; Pss (smaps_rollup) divides them among their sharers."
    echo "start to exit: engines from POST /containers/{id}/start to the POST /wait answer (curl time_total, create not included); runc: wall time of 'runc run' of the same rootfs (runc spec defaults)."
}

# write_results TEXT [NAME] : bench/results/NAME-<time>.txt (NAME defaults to runtime; gitignored): the
# report, every figure as key=value, and the raw samples in microseconds.
write_results() {
    local dir=$BENCH_DIR/results f k
    mkdir -p "$dir" || return 0
    f=$dir/${2:-runtime}-$(date +%Y%m%d-%H%M%S).txt
    {
        printf '%s\n\n' "$1"
        for k in $(printf '%s\n' "${!R[@]}" | sort); do echo "$k=${R[$k]}"; done
        for k in $(printf '%s\n' "${!SAMPLES[@]}" | sort); do echo "samples_us.$k=${SAMPLES[$k]}"; done
    } >"$f"
    log "results written to $f"
}
