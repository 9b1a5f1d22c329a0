"""Benchmarks: run with `make bench`; they print medians, p95 and ratios, never assert."""
