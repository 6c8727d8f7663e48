"""The repeat-purchase model in the suite (provisional until the clv package lands)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from .config import AnalyticsConfig


@dataclass
class Fitted:
    accounts: pa.Table
    summary: dict[str, Any]


def fit_and_predict(inputs: pa.Table, *, as_of: dt.date, config: AnalyticsConfig) -> Fitted:
    return Fitted(accounts=inputs.select(["account_id"]), summary={})
