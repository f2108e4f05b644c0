"""What the pages, Panel mode and the paper read, by concern: each reader is a plain function of a cursor (a named
query here, or dashboard_data's analysis) made cached and session-aware by components.database.cached_reader.
Pages call these by name; they never run a query or name a reader in a string."""
