# SPDX-License-Identifier: MIT
"""Stands in for the `safetensors` package, which Debian does not ship, so that the programs
of docs/interop.md run as users run them. Only used when the real package is missing."""
