"""Benchmarks for alignproof (issue 6). Run everything with `python3 -m bench`."""
