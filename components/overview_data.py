"""The Overview table for an area, period and priority, built once per data version and visibility."""
from __future__ import annotations

import pandas as pd

from analysis import calendar
from analysis.rag import SMALL_SAMPLE
from components.readers.overview import overview


def overview_table(area_id: str, area_name: str, period: calendar.Period, priority_id: int | None,
                   small_sample: int = SMALL_SAMPLE, *, public: bool = False) -> pd.DataFrame:
    """Cached by the overview reader, whose key includes what the session's user may see
    (public: what the public may see, whoever is signed in, for text meant for publication)."""
    return (overview.public if public else overview)(area_id=area_id, area_name=area_name, period=period,
                                                     priority_id=priority_id, small_sample=small_sample)
