"""Benchmarks, run as modules (``python -m bench.formatting``); not part of the test suite."""
