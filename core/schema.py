"""The schema version this code needs: ingest builds and upgrades databases to it, and opening a database checks it."""
SCHEMA_VERSION = "7"  # 4: police_uk_forces, chart_annotations, paper_settings; 5: availability by area, availability_changes;
# 6: measures.retired_at, catalogue_changes; 7: people_counts (the missing-person counting macro)
