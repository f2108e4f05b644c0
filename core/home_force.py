"""The home force (the force area whose force-wide measures, savings and load check figures these are), read from
the catalogue's areas table rather than written into the code: a catalogue for another force needs no code change."""
from __future__ import annotations

import queries


def home_force(con) -> str:
    """The home force's area id: the first area of kind 'force' in the catalogue's order."""
    found = queries.run(con, "core/home_force")
    if found.empty:
        raise LookupError("The catalogue has no force area (areas.kind = 'force'), so there is no home force.")
    return str(found["id"].iloc[0])
