#!/bin/sh
# Peak RSS of `atgen decode` on a 40 MB transcript and of `atgen ssl` streaming
# 100 MiB through `atgen simulate --pty` (EC2x, buffer mode, echo peer), each
# (buffer and direct-push mode), each measured with /usr/bin/time -v and
# checked against the 16 MiB bound.
# Usage: tests/scripts/peak-rss.sh [MiB streamed, default 100]
# Exit 1 when a run fails or exceeds the bound; last line "peak-rss: ok".
set -eu
cd "$(dirname "$0")/../.."
mib=${1:-100}
limit_kib=$((16 * 1024))
cargo build -q --release -p atgen --bin atgen
target=${CARGO_TARGET_DIR:-target}
bin=$target/release/atgen
work=$(mktemp -d)
sim_pid=
cleanup() {
    [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

peak_kib() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
failed=0
check() { # name kib
    if [ "$2" -le "$limit_kib" ]; then verdict=ok; else verdict="OVER 16 MiB"; failed=1; fi
    printf '%-40s %8s KiB peak RSS  %s\n' "$1" "$2" "$verdict"
}

# A 40 MB EC2x transcript: one round of answers, URCs and result codes, doubled.
printf '\r\n+QSSLCFG: "sslversion",1,4\r\n\r\nOK\r\n\r\n+QSSLOPEN: 3,0\r\n\r\nSEND OK\r\n\r\n+QSSLURC: "recv",3\r\n\r\n+QSSLRECV: 16\r\n0123456789abcdef\r\n\r\nOK\r\n\r\n+QSSLSTATE: 3,"SSLClient","220.180.239.212",8010,65344,2,1,4,0,"usbmodem",1\r\n\r\nOK\r\n\r\n+QSSLURC: "closed",3\r\n' > "$work/t"
while [ "$(wc -c < "$work/t")" -lt 40000000 ]; do
    cat "$work/t" "$work/t" > "$work/t2" && mv "$work/t2" "$work/t"
done
head -c 40000000 "$work/t" > "$work/transcript"
/usr/bin/time -v -o "$work/decode.time" "$bin" decode --family quectel-ec2x --json "$work/transcript" > "$work/decode.out" || true
items=$(wc -l < "$work/decode.out")
check "atgen decode --json, 40 MB ($items items)" "$(peak_kib "$work/decode.time")"

# atgen ssl streaming, buffer and direct-push mode: the simulator echoes, stdout is counted.
bytes=$((mib * 1024 * 1024))
for mode in buffer push; do
    "$bin" simulate --family quectel-ec2x --pty > "$work/sim.out" 2>/dev/null &
    sim_pid=$!
    i=0
    while [ ! -s "$work/sim.out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    pty=$(head -n 1 "$work/sim.out")
    head -c "$bytes" /dev/zero | tr '\0' 'x' |
        /usr/bin/time -v -o "$work/ssl.time" "$bin" ssl --family quectel-ec2x --device "$pty" \
            --host example.com --port 443 --access-mode "$mode" --peer-quiet-ms 500 |
        wc -c > "$work/ssl.count"
    kill "$sim_pid" 2>/dev/null || true
    wait "$sim_pid" 2>/dev/null || true
    sim_pid=
    : > "$work/sim.out"
    echoed=$(cat "$work/ssl.count")
    check "atgen ssl $mode, $mib MiB ($echoed echoed)" "$(peak_kib "$work/ssl.time")"
    [ "$echoed" -eq "$bytes" ] || { echo "atgen ssl $mode echoed $echoed of $bytes bytes"; failed=1; }
done

if [ "$failed" -ne 0 ]; then
    echo "peak-rss: FAILED"
    exit 1
fi
echo "peak-rss: ok"
