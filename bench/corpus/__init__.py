"""Generated corpora for the search and 相关阅读 benchmarks, from authored text (topics.py)."""
