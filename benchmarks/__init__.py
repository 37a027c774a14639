"""Benchmark scripts: each prints its figures (run from the repository root)."""
