#!/usr/bin/env bash
# Regenerates the measured charts of the book's classroom pages:
#
#   docs/src/classroom/iterative_vs_mp.svg       throughput, 1..50 clients
#   docs/src/classroom/iterative_vs_mp_max.svg   the slowest round trip
#   docs/src/classroom/nagle.svg                 median round trip by size
#
#   classroom/bench/charts.sh            # from anywhere in the workspace
#   N=5000 classroom/bench/charts.sh     # more round trips per client
#
# The clients chart averages REPEAT (3) runs per point: on a shared
# machine one run is noisy.
#
# Every server runs on 127.0.0.1 with a port the kernel picks (port 0,
# learned from `ss`), is killed and reaped at the end. day 2's echo_server
# serves five clients and then exits, so it is started afresh for every
# run, and measured only up to five clients; `echo_bench serve` runs the
# same iterative loop without that limit for the runs with more clients.
# The raw --json lines are kept next to the charts (*.json).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cargo build --release --quiet -p classroom -p day2 -p day3
bin="$root/target/release"
out="$root/docs/src/classroom"
N="${N:-5000}"        # round trips per client in the clients chart
REPEAT="${REPEAT:-3}"  # runs per point of the clients chart (averaged)
SIZE_N="${SIZE_N:-40}" # round trips per run in the size chart

servers=()
cleanup() {
    for pid in "${servers[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# start PROGRAM ARGS...: runs a server in the background, sets $pid and
# $port (the TCP port it listens on, from ss).
start() {
    "$@" >/dev/null &
    pid=$!
    servers+=("$pid")
    port=""
    for _ in $(seq 200); do
        port="$(ss -Htlnp | awk -v p="pid=$pid," \
            'index($0, p) { n = split($4, a, ":"); print a[n]; exit }')"
        [ -n "$port" ] && return
        sleep 0.05
    done
    echo "charts.sh: $* never listened" >&2
    exit 1
}

# stop: ends the server started last (if it has not ended by itself).
stop() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# bench PORT ARGS...: one echo_bench run. A run that fails is reported
# and left out of the chart, not the end of the script: 50 clients at
# once overflow an iterative server's backlog of 5, and the kernel may
# reset a connection it could not queue (see the book page).
bench() {
    "$bin/echo_bench" 127.0.0.1 "$@" --timeout 120 >/dev/null ||
        echo "charts.sh: the run above failed and is left out" >&2
}

# 1. The iterative server against the multi-process one.
clients_json="$out/iterative_vs_mp.json"
: >"$clients_json"
start "$bin/echo_mpserv" 0
mp_port=$port
start "$bin/echo_bench" serve 0
it_port=$port
for c in $(for _ in $(seq "$REPEAT"); do echo 1 2 5 10 20 50; done); do
    echo "clients: $c" >&2
    bench "$mp_port" par "$c" "$N" 16 --json "$clients_json" \
        --label "echo_mpserv (day 3)"
    bench "$it_port" par "$c" "$N" 16 --json "$clients_json" \
        --label "iterative: echo_bench serve"
    if [ "$c" -le 5 ]; then
        start "$bin/echo_server" 0
        bench "$port" par "$c" "$N" 16 --json "$clients_json" \
            --label "echo_server (day 2)"
        stop
    fi
done
"$bin/echo_bench" plot "$clients_json" --svg "$out/iterative_vs_mp.svg" \
    --legend middle-right \
    --title "16-byte echoes per second, all clients together"
"$bin/echo_bench" plot "$clients_json" --svg "$out/iterative_vs_mp_max.svg" \
    --y max-us --log-y --legend lower-right \
    --title "The slowest round trip of a run"

# 2. The 40 ms mystery: the median round trip by message size.
sizes_json="$out/nagle.json"
: >"$sizes_json"
for size in 16 30 31 256 1024 1025 2048 4096; do
    echo "size: $size" >&2
    start "$bin/echo_server" 0
    bench "$port" rtt "$SIZE_N" "$size" --json "$sizes_json" \
        --label "echo_server (day 2)"
    stop
    start "$bin/echo_server" 0
    bench "$port" rtt "$SIZE_N" "$size" --json "$sizes_json" --nodelay \
        --label "echo_server, echo_bench --nodelay"
    stop
    start "$bin/echo_bench" serve 0 --nodelay
    bench "$port" rtt "$SIZE_N" "$size" --json "$sizes_json" \
        --label "echo_bench serve --nodelay"
    stop
    bench "$mp_port" rtt "$SIZE_N" "$size" --json "$sizes_json" \
        --label "echo_mpserv (day 3)"
done
"$bin/echo_bench" plot "$sizes_json" --svg "$out/nagle.svg" --x size \
    --y p50-us --log-y --legend middle-right \
    --title "Median round trip by message size"
