"""Names vulture reports as unused that are used, each with where from (read by tests/test_dead_code.py).

A new unused name fails that test: delete it, or add it here with the reason it stays.
"""
# ruff: noqa: B018, F821
previous_label  # Comparison's field, read by tests/test_comparisons_cases.py: the label of the period compared with
most_similar_group  # PeerSet's field: the set's provenance, asserted by tests/test_peers.py
sequential_coverage  # the forecast's out-of-sample coverage, the claim tests/test_forecast.py checks
first_detection  # the what-if detection oracle tests/test_whatif.py checks the batched run against
baseline_points  # WhatIfChart's field, asserted by tests/test_whatif.py
territorial_forces  # LoadSummary's field, asserted by tests/test_home_office.py (43 forces loaded)
builder_name  # components/cached_chart.py: a cache-key argument; the chart's builder is not hashable, its name stands for it
dashboard_theme  # registered with Altair by its decorator (@alt.theme.register)
_.readable  # io.RawIOBase protocol: called by io.BufferedReader, not by name in this code
_.readinto  # io.RawIOBase protocol: called by io.BufferedReader
# dashboard_data's readers are dispatched by name: components/database.read("missing_person_summary", ...)
missing_person_summary
missing_person_breakdown
missing_person_periods
savings_progress
undercounted_months
measure_comparisons
rolling_series
areas_in_period
monthly_by_area
# bench/ and scripts/: figures printed through dataclasses.asdict, and a signal handler's fixed signature
file_bytes
database_bytes
_.database_bytes
_.file_bytes
_.claim_rate
_.false_alarm_rate
_.dont_write_bytecode  # sys.dont_write_bytecode set for the mutation run's subprocesses
signum
