"""The abuse suite: each attack from issue 13 run for real, with the bound it must stay within."""

from tests.collect.conftest import channel, collector_settings, make_source, run_collector  # noqa: F401
