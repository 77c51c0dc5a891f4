#!/bin/sh
# Clean and incremental build times of the CLI (`cargo build -p atgen`), at a
# revision before the descriptors (default 2e418e1^, the last commit with the
# unrolled generated code) and at HEAD, one after the other on the same
# machine, each in its own work tree and empty target directory:
#   clean release, clean debug, then after `touch spec/quectel-ec2x.toml`
#   release and debug, and the lines of the generated families.rs.
# Needs the registry (or a filled cargo cache); takes about 5 minutes on 2 cores.
# Run it on an otherwise idle machine: it measures seconds, not instructions.
# Usage: tests/scripts/build-times.sh [before-rev]; last line "build-times: done".
set -eu
cd "$(dirname "$0")/../.."
before=${1:-2e418e1^}
work=$(mktemp -d)
cleanup() {
    for w in before after; do
        git worktree remove --force "$work/$w" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

seconds() { # command...
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$e $s" | awk '{printf "%.1f", $1 - $2}'
}

printf '%-8s %14s %12s %14s %12s %16s\n' rev "clean release" "clean debug" "touch release" "touch debug" "generated lines"
for w in before after; do
    rev=$before
    [ "$w" = after ] && rev=HEAD
    git worktree add -q --detach "$work/$w" "$rev"
    (
        cd "$work/$w"
        export CARGO_TARGET_DIR="$work/target-$w"
        cargo fetch -q >/dev/null 2>&1 || true
        cr=$(seconds cargo build --release -p atgen)
        cd_=$(seconds cargo build -p atgen)
        touch spec/quectel-ec2x.toml
        tr=$(seconds cargo build --release -p atgen)
        touch spec/quectel-ec2x.toml
        td=$(seconds cargo build -p atgen)
        lines=$(find "$CARGO_TARGET_DIR/release/build" -path '*atgen-*/out/families.rs' | head -1 | xargs cat | wc -l)
        printf '%-8s %12s s %10s s %12s s %10s s %16s\n' "$w" "$cr" "$cd_" "$tr" "$td" "$lines"
    )
done
echo "build-times: done"
