"""The demo county (勐海县, 532822): a realistic registry with side tables and planted risky outfits.

`generate_county(n, seed)` returns the frames; `write_county(county, out_dir)`
writes them as the CSV files an office exports; `iter_county` yields the same
county chunk by chunk for bounded memory. Demos, tests and benchmarks use it.
"""

from fundwatch.demo.county import DemoCounty, generate_county, iter_county
from fundwatch.demo.export import CountyWriter, write_county
from fundwatch.demo.vocab import GUISE_IDS

__all__ = ["GUISE_IDS", "CountyWriter", "DemoCounty", "generate_county", "iter_county", "write_county"]
