"""Benchmarks, each a module run from the project root: `.venv/bin/python -m bench.NAME [--quick]`."""
