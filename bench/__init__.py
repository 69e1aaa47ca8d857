"""Throughput benchmark of the public site: ``make bench`` (``python -m bench.run``). See README.md."""
