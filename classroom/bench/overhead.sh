#!/usr/bin/env bash
# echo_bench's own cost must not hide the server's. Against the same
# minimal C echo server, in the same run, this compares echo_bench's rtt
# throughput with a minimal C client's (a blocking write/read loop, no
# timing per round trip): the ratio should be at least 0.9.
#
#   classroom/bench/overhead.sh              # 7 rounds of 50000 x 16 B
#   ROUNDS=11 N=100000 classroom/bench/overhead.sh
#
# The two clients take turns (C, echo_bench, C, echo_bench...), so a
# machine that gets busier or quieter during the run affects both; the
# medians are compared. Needs gcc (or cc).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-7}"
N="${N:-50000}"
SIZE="${SIZE:-16}"
cc="${CC:-cc}"

cargo build --release --quiet -p classroom
tmp="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
"$cc" -O2 -o "$tmp/min_echo_server" classroom/bench/min_echo_server.c
"$cc" -O2 -o "$tmp/min_echo_client" classroom/bench/min_echo_client.c

"$tmp/min_echo_server" 0 >"$tmp/server.out" &
server=$!
port=""
for _ in $(seq 100); do
    port="$(awk '/^port/ { print $2 }' "$tmp/server.out")"
    [ -n "$port" ] && break
    sleep 0.05
done
[ -n "$port" ] || { echo "overhead.sh: the server did not start" >&2; exit 1; }

c_runs=()
rust_runs=()
for round in $(seq "$ROUNDS"); do
    c="$("$tmp/min_echo_client" 127.0.0.1 "$port" "$N" "$SIZE" |
        awk '{ print $2 }')"
    rm -f "$tmp/run.json"
    target/release/echo_bench 127.0.0.1 "$port" rtt "$N" "$SIZE" \
        --json "$tmp/run.json" >/dev/null
    rust="$(sed 's/.*"ops_per_sec":\([0-9.]*\).*/\1/' "$tmp/run.json")"
    printf 'round %d: C %8.0f ops/s   echo_bench %8.0f ops/s\n' \
        "$round" "$c" "$rust"
    c_runs+=("$c")
    rust_runs+=("$rust")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 }
    END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
c_median="$(median "${c_runs[@]}")"
rust_median="$(median "${rust_runs[@]}")"
ratio="$(awk -v r="$rust_median" -v c="$c_median" 'BEGIN { printf "%.3f", r / c }')"
printf 'median: C %.0f ops/s, echo_bench %.0f ops/s, ratio %s\n' \
    "$c_median" "$rust_median" "$ratio"
awk -v x="$ratio" 'BEGIN { exit !(x >= 0.9) }' || {
    echo "overhead.sh: echo_bench is below 0.9 of the C client" >&2
    exit 1
}
