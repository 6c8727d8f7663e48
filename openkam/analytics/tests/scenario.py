"""A small portfolio whose every metric is worked out by hand in test_metrics.py.

As of 31 December 2026 (a month end, so periods are calendar months, quarters and years):

1. buys 100 (cost 60, discount 25) on the 10th of every month of 2025 and 2026; odd months
   category 1, even months category 2;
2. a key account that grows: 1,000 on 1 Jun 2025 (cat. 1), 1,500 on 1 Mar 2026 (cat. 2),
   1,500 on 1 Sep 2026 (cat. 3);
3. bought 500 on 15 Jan and 15 Feb 2025, then nothing: lost on 16 Feb 2026;
4. 50 on 5 May 2025; 200 on 5 May 2026 and a credit note of −300 on 20 May 2026;
5. one purchase of 800 on the as-of date, and 900 the day after (ignored);
6. two invoices on 30 Nov 2026 (100 and 50), category 2;
and a line of 999 without a customer (ignored by account analytics).
"""

from __future__ import annotations

import datetime as dt

from .facts import dimension, line

AS_OF = dt.date(2026, 12, 31)
HISTORY_START = dt.date(2025, 1, 1)  # the export covers 2025 and 2026 (the first line: 10 Jan)


def lines() -> list[dict]:
    rows = []
    for year in (2025, 2026):
        for month in range(1, 13):
            rows.append(
                line(
                    1,
                    dt.date(year, month, 10),
                    100,
                    cost=60,
                    discount=25,
                    category=1 if month % 2 else 2,
                )
            )
    rows += [
        line(2, "2025-06-01", 1000, category=1),
        line(2, "2026-03-01", 1500, category=2),
        line(2, "2026-09-01", 1500, category=3),
        line(3, "2025-01-15", 500),
        line(3, "2025-02-15", 500),
        line(4, "2025-05-05", 50),
        line(4, "2026-05-05", 200),
        line(4, "2026-05-20", -300),
        line(5, "2026-12-31", 800),
        line(5, "2027-01-01", 900),
        line(6, "2026-11-30", 100, document="A", category=2),
        line(6, "2026-11-30", 50, document="B", category=2),
        line(None, "2026-06-01", 999),
    ]
    return rows


def accounts():
    return dimension(
        [
            (1, 10, "TH", 1, False),
            (2, 10, "TH", 1, True),
            (3, 11, "VN", 2, False),
            (4, 11, "VN", None, False),
            (5, 12, "RS", None, False),
            (6, None, None, None, False),
        ]
    )
