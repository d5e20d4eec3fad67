#!/usr/bin/env bash
# Compile time of the lecture's network, ffn beside a hand-written Eigen program, in one run:
# each file compiled (-std=c++20 -O2 -c) RUNS times in turn, the median of each reported, as
# processor time (user + sys, which other work on the machine disturbs less than wall time)
# and wall time, with the ratio of each file's processor time to the hand-written program's.
#
#   tests/benchmarks/compile_time/compile_time.sh [compiler] [runs]    (g++ and 5 by default)
#
# Run from anywhere; needs the compiler and Eigen (libeigen3-dev) only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
cxx="${1:-g++}"
runs="${2:-5}"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# The README's usage program as written there, with the umbrella header.
sed 's|^#include <ffn/activations/sigmoid.hpp>$|#include <ffn/ffn.hpp>|; /^#include <ffn\/\(layers\|losses\|network\|optimizers\)/d' \
    "$here/ffn_minimal.cpp" >"$scratch/ffn_umbrella.cpp"

names=(hand_written ffn_minimal ffn_umbrella lecture_example)
files=("$here/hand_written.cpp" "$here/ffn_minimal.cpp" "$scratch/ffn_umbrella.cpp"
       "$root/examples/lecture.cpp")

declare -A cpu wall
TIMEFORMAT='%R %U %S'
for ((r = 0; r < runs; ++r)); do
    for i in "${!files[@]}"; do
        t=$({ time "$cxx" -std=c++20 -O2 -I"$root/include" -isystem /usr/include/eigen3 \
                -c "${files[$i]}" -o "$scratch/out.o" >/dev/null; } 2>&1)
        read -r real user sys <<<"$t"
        cpu[${names[$i]}]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') "
        wall[${names[$i]}]+="$real "
    done
done

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "$cxx -std=c++20 -O2 -c, median of $runs runs"
printf '%-16s %10s %10s %14s\n' file "cpu s" "wall s" "cpu / hand"
base=$(median <<<"${cpu[hand_written]}")
for n in "${names[@]}"; do
    c=$(median <<<"${cpu[$n]}")
    w=$(median <<<"${wall[$n]}")
    printf '%-16s %10.2f %10.2f %14.2f\n' "$n" "$c" "$w" "$(awk -v a="$c" -v b="$base" 'BEGIN { print a / b }')"
done
for n in ffn_minimal lecture_example; do
    c=$(median <<<"${cpu[$n]}")
    printf 'ratio compile %s/hand_written: %.2f\n' "$n" "$(awk -v a="$c" -v b="$base" 'BEGIN { print a / b }')"
done
