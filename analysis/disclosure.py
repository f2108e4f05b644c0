"""Statistical disclosure control for breakdowns of person-level counts.

Primary suppression hides every count from 1 to threshold-1 (zero reveals nothing).
Secondary suppression then hides the next smallest count in the same column when
only one is hidden, so it cannot be recovered by subtracting from a shown total.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

THRESHOLD = 5
SUPPRESSED = "[c]"  # the ONS marker for a confidential cell
EXPLANATION = (f"[c]: suppressed. Counts from 1 to {THRESHOLD - 1} are not shown, and where only one count in a column "
               "would be hidden, the next smallest is hidden too, so it cannot be worked out from the total.")


def suppress(frame: pd.DataFrame, columns: list[str], threshold: int = THRESHOLD) -> tuple[pd.DataFrame, int]:
    """Return a copy with small counts replaced by "[c]" and the number of cells hidden."""
    out = frame.copy().astype({c: object for c in columns})
    hidden = 0
    for column in columns:
        values = frame[column].to_numpy(dtype=float)
        primary = (values > 0) & (values < threshold)
        mask = primary.copy()
        if primary.sum() == 1 and len(values) > 1:
            candidates = np.where(~mask & (values > 0), values, np.inf)
            if np.isfinite(candidates).any():
                mask[int(np.argmin(candidates))] = True
        out.loc[mask, column] = SUPPRESSED
        hidden += int(mask.sum())
    return out, hidden
