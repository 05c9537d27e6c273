"""dlplay's benchmarks (not timed tests): `python -m bench` runs them all and writes docs/benchmarks.md.

Each `bench_*.py` also runs on its own and prints its figures; see `__main__.py`.
"""
