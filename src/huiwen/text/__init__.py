"""Text tools every layer above may use, with no Django import (a contract in pyproject.toml checks it).

- `chinese`: folding (Simplified/Traditional, full-/half-width, case) and segmentation (rjieba);
- `urls`: the canonical form of a URL, so one page has one spelling;
- `fingerprint`: MinHash signatures and LSH band keys that tell two copies of one work.
"""
