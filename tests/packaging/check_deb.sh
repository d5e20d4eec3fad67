#!/usr/bin/env bash
# Builds ffn's Debian package (cpack -G DEB), installs it with dpkg, builds and runs two
# consumers against the installed package in a scratch folder outside the source and build
# trees (one through CMake's find_package, one through pkg-config), then removes the package.
# Needs root, dpkg, cmake, ninja, a C++20 compiler, pkg-config and libeigen3-dev.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
cleanup() {
    if dpkg -s libffn-dev >/dev/null 2>&1; then
        dpkg -r libffn-dev >/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if dpkg -s libffn-dev >/dev/null 2>&1; then
    echo "removing a libffn-dev left installed by an earlier run"
    dpkg -r libffn-dev
fi

echo "== build the package"
cmake -S "$root" -B "$work/build" -G Ninja -DFFN_BUILD_TESTS=OFF -DFFN_BUILD_EXAMPLES=OFF >/dev/null
(cd "$work/build" && cpack -G DEB)
deb="$(ls "$work"/build/libffn-dev_*_all.deb)"
dpkg-deb --info "$deb" | grep -E "Package|Version|Depends|Architecture"

echo "== install it"
dpkg -i "$deb"
version="$(dpkg-query -W -f='${Version}' libffn-dev)"
test -f /usr/include/ffn/ffn.hpp
test -f /usr/share/cmake/ffn/ffnConfig.cmake
test -f /usr/share/pkgconfig/ffn.pc

echo "== a CMake consumer: find_package(ffn $version EXACT REQUIRED)"
mkdir -p "$work/consumer/find_package"
cp "$root/tests/cmake/consumer.cpp" "$work/consumer/"
cp "$root/tests/cmake/find_package/CMakeLists.txt" "$work/consumer/find_package/"
cmake -S "$work/consumer/find_package" -B "$work/consumer/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release "-DEXPECTED_FFN_VERSION=$version" >/dev/null
cmake --build "$work/consumer/build"
"$work/consumer/build/consumer"

echo "== a pkg-config consumer: c++ -std=c++20 \$(pkg-config --cflags ffn)"
pkg-config --exists --print-errors "ffn = $version"
# shellcheck disable=SC2046 # the flags are meant to split into words
c++ -std=c++20 -O2 "$work/consumer/consumer.cpp" $(pkg-config --cflags ffn) \
    -o "$work/consumer/pkg_config_consumer"
"$work/consumer/pkg_config_consumer"

echo "== remove it"
dpkg -r libffn-dev
if dpkg -s libffn-dev >/dev/null 2>&1 || test -e /usr/include/ffn/ffn.hpp; then
    echo "libffn-dev is still installed" >&2
    exit 1
fi
echo "the Debian package installs, serves find_package and pkg-config, and removes cleanly"
