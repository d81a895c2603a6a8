"""The release end-to-end test of purewheel (`python -m e2e release`); stdlib only.

A test-made next upstream release of ml-metadata goes through the whole release path on this machine: `pending`
finds it on a local package index, `lock` pins it, `build` makes the pure wheel without a recipe edit, the MLMD
workload passes against a real MLMD server, a broken release is refused, and the wheel is published to a second
local index with upload authentication and installed from there. Bad input must fail with the documented exit
codes and change nothing. See `__main__.py` for the order and scripts/e2e/README.md for the MLMD workload.
"""
