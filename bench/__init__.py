"""Benchmarks (not tests: pytest does not collect them). See bench/README.md."""
