#!/usr/bin/env bash
# Compile checks of the generated crate `atgen`, one cargo feature at a time:
#   - each family alone without default features (no `std`: the no_std build),
#   - each family with `std`, and with the simulator (`sim`),
#   - the default feature set (all-families, std, cli).
# Every build runs even after a failure; the script exits 1 if any failed.
set -u
cd "$(dirname "$0")/.."

# The family ids are the spec's file names (the validator checks they agree).
families=()
for f in spec/*.toml; do
    families+=("$(basename "$f" .toml)")
done
failed=()

check() {
    echo "==> cargo check -p atgen $*"
    if ! cargo check -q -p atgen "$@"; then
        failed+=("$*")
    fi
}

# The runtime's heap-free drivers, without std: built and linted.
for feats in nb async nb,async async,nal; do
    echo "==> cargo clippy -p atgen-runtime --no-default-features --features $feats -- -D warnings"
    if ! cargo clippy -q -p atgen-runtime --no-default-features --features "$feats" -- -D warnings; then
        failed+=("(atgen-runtime) --no-default-features --features $feats")
    fi
done

for f in "${families[@]}"; do
    check --no-default-features --features "$f"
    check --no-default-features --features "std,$f"
    check --no-default-features --features "sim,$f"
done
check

if ((${#failed[@]})); then
    echo "FAILED:" >&2
    printf '  cargo check -p atgen %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "all feature builds compile"
