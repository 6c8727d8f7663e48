import datetime as dt

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings

from openkam.analytics.tests import facts
from openkam.facts.store import FactStore

AS_OF = dt.date(2026, 6, 30)


def publish(lines: list[dict], batch_id: int = 1) -> None:
    """Order lines straight into the test's fact store, as an import would publish them."""
    store = FactStore(settings.FACTS_DIR)
    table = facts.table(lines)
    table = table.set_column(0, "batch_id", pa.array([batch_id] * table.num_rows, pa.int64()))
    staging = store.new_staging_dir(batch_id)
    pq.write_table(table, staging / "part-0.parquet")
    store.publish(staging, batch_id)


@pytest.fixture
def history(world):
    """A year of purchases for the world's accounts: `own` (kam1) buys monthly 1,000, `foreign`
    (kam2) 3,000 a quarter, `shared` (kam2, kam1 supports) bought once in 2025."""
    lines = []
    for month in range(1, 13):
        for year in (2025, 2026):
            day = dt.date(year, month, 5)
            if day <= AS_OF:
                lines.append(facts.line(world["own"].pk, day, 1000, cost=700))
                if month % 3 == 1:
                    lines.append(facts.line(world["foreign"].pk, day, 3000, cost=2000))
    lines.append(facts.line(world["shared"].pk, "2025-03-03", 500))
    publish(lines)
    return world
