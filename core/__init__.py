"""The bottom layer every other package may import and which imports none of them: refusals in words
(errors), the limits and ranges read from settings.toml (settings), the schema version a database must
have (schema) and the home force, read from the catalogue (home_force)."""
