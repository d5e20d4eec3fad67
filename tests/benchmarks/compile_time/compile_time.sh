#!/usr/bin/env bash
# Compile times of ffn's programs, each beside a program written by hand on Eigen that does the
# same work, in one run: each file compiled (-std=c++20 -O2 -c) RUNS times in turn, the median
# of each reported as processor time (user + sys, which other work on the machine disturbs less
# than wall time) and wall time, with the ratios that docs/performance.md states goals for:
#   - the README's usage program, as the README writes it (<ffn/ffn.hpp>), against
#     hand_written.cpp (the lecture's network, 1000 steps);
#   - the README's "train on your own data" program, as the README writes it, against
#     hand_written_fit.cpp (mini-batches reshuffled every epoch, Adam, a validation split,
#     accuracy);
#   - examples/lecture.cpp, in seconds.
# ffn_minimal.cpp is the usage program with only the five headers it uses.
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

# readme_program HEADING OUT: the first C++ block after the README line that starts with HEADING.
readme_program() {
    awk -v heading="$1" 'index($0, heading) == 1 { found = 1 }
        found && /^```cpp$/ { inside = 1; next }
        inside && /^```$/ { exit }
        inside { print }' "$root/README.md" >"$2"
    if ! grep -q 'int main' "$2"; then
        echo "compile_time.sh: no program after '$1' in README.md" >&2
        exit 1
    fi
}
readme_program '## Usage' "$scratch/readme_usage.cpp"
readme_program 'Training on your own data' "$scratch/readme_fit.cpp"

names=(hand_written readme_usage ffn_minimal hand_written_fit readme_fit lecture_example)
files=("$here/hand_written.cpp" "$scratch/readme_usage.cpp" "$here/ffn_minimal.cpp"
       "$here/hand_written_fit.cpp" "$scratch/readme_fit.cpp" "$root/examples/lecture.cpp")
baseline=(hand_written hand_written hand_written hand_written_fit hand_written_fit hand_written)

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

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "$cxx -std=c++20 -O2 -c, median of $runs runs"
printf '%-18s %8s %8s %18s\n' file "cpu s" "wall s" "cpu / baseline"
for i in "${!names[@]}"; do
    n=${names[$i]}
    c=$(median <<<"${cpu[$n]}")
    w=$(median <<<"${wall[$n]}")
    b=$(median <<<"${cpu[${baseline[$i]}]}")
    printf '%-18s %8.2f %8.2f %8s (%s)\n' "$n" "$c" "$w" "$(ratio "$c" "$b")" "${baseline[$i]}"
done
echo "ratio compile readme_usage/hand_written: $(ratio "$(median <<<"${cpu[readme_usage]}")" "$(median <<<"${cpu[hand_written]}")") (goal 1.25)"
echo "ratio compile readme_fit/hand_written_fit: $(ratio "$(median <<<"${cpu[readme_fit]}")" "$(median <<<"${cpu[hand_written_fit]}")") (goal 1.50)"
echo "seconds compile lecture_example: $(median <<<"${cpu[lecture_example]}") (goal 3.0)"
