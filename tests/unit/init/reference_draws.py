# SPDX-License-Identifier: MIT
"""An independent model of ffn's random draws, used to compute the values that
tests/unit/init/*_test.cpp pin. It follows include/ffn/detail/random.hpp,
portable_math.hpp and init/initialize.hpp operation by operation; every fma is computed
exactly with rationals and rounded once, so its results are what IEEE 754 prescribes.

    python3 tests/unit/init/reference_draws.py
"""
import math
import struct
from fractions import Fraction

MASK = (1 << 64) - 1


def mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def fma(a, b, c):
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def rotate_left(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK


def portable_log(x):
    m, e = math.frexp(x)
    if m < float.fromhex("0x1.6a09e667f3bcdp-1"):
        m *= 2.0
        e -= 1
    f = (m - 1.0) / (m + 1.0)
    f2 = f * f
    p = 1.0 / 21.0
    for k in (19, 17, 15, 13, 11, 9, 7, 5, 3):
        p = fma(p, f2, 1.0 / k)
    two_f = 2.0 * f
    log_m = fma(two_f * f2, p, two_f)
    e = float(e)
    return fma(e, float.fromhex("0x1.62e42fefa39efp-1"),
               fma(e, float.fromhex("0x1.abc9e3b39803fp-56"), log_m))


class Engine:
    def __init__(self, seed, stream=None):
        if stream is not None:
            seed = mix(mix(seed) ^ stream)
        self.state = []
        for _ in range(4):
            seed = (seed + 0x9E3779B97F4A7C15) & MASK
            self.state.append(mix(seed))
        self.spare = None

    def next(self):
        s = self.state
        result = (rotate_left((s[1] * 5) & MASK, 7) * 9) & MASK
        t = (s[1] << 17) & MASK
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotate_left(s[3], 45)
        return result

    def uniform(self):
        return (self.next() >> 11) * 2.0**-53

    def normal(self):
        if self.spare is not None:
            value, self.spare = self.spare, None
            return value
        while True:
            x = 2.0 * self.uniform() - 1.0
            y = 2.0 * self.uniform() - 1.0
            s = fma(x, x, y * y)
            if 0.0 < s < 1.0:
                factor = math.sqrt(-2.0 * portable_log(s) / s)
                self.spare = y * factor
                return x * factor


def draws(seed, layer, tensor, count, kind, a, b):
    """The first `count` values of tensor `tensor` of layer `layer`, row by row:
    kind 'normal' (mean a, stddev b) or 'uniform' (low a, high b)."""
    engine = Engine(seed, (layer << 32) + tensor)
    if kind == "normal":
        return [fma(b, engine.normal(), a) for _ in range(count)]
    return [fma(b - a, engine.uniform(), a) for _ in range(count)]


def as_float(x):
    return struct.unpack("f", struct.pack("f", x))[0]


if __name__ == "__main__":
    engine = Engine(42)
    print("normals of seed 42:", [engine.normal() for _ in range(4)])
    # he_normal of a 3 -> 4 -> 2 network (pinned in initialize_test.cpp).
    print("he_normal 3 -> 4, layer 0:", draws(42, 0, 0, 4, "normal", 0.0, math.sqrt(2 / 3)))
    print("he_normal 4 -> 2, layer 1:", draws(42, 1, 0, 3, "normal", 0.0, math.sqrt(2 / 4)))
    limit = math.sqrt(6 / 7)
    print("glorot_uniform 3 -> 4:", draws(42, 0, 0, 4, "uniform", -limit, limit))
    print("uniform(-0.1, 0.1) bias, layer 0:", draws(42, 0, 1, 4, "uniform", -0.1, 0.1))
    print("he_normal seed 7:", draws(7, 0, 0, 1, "normal", 0.0, math.sqrt(2 / 3)))
