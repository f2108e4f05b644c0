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
run_query  # datastore's one-call read of a named query as a role may see: the tests read every app query with it (tests/test_release.py)
# bench/ and scripts/: figures printed through dataclasses.asdict, and a signal handler's fixed signature
file_bytes
database_bytes
_.database_bytes
_.file_bytes
_.claim_rate
_.false_alarm_rate
_.dont_write_bytecode  # sys.dont_write_bytecode set for the mutation run's subprocesses
signum
# the Overview row's figures as numbers: columns of its frame read by name (the downloads' table,
# render/overview_table.plain_table; the recount in tests/test_recount.py; tests/test_overview_story.py)
value_number
last_year_number
change_number
rolling_12_number
rolling_change_percent
spc_special_cause
spc_flag
