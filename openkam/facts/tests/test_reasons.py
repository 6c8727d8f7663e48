"""The reasons the pipeline writes in SQL are the templates the Django side translates: each one
written by DuckDB is found again with its values, in full and as the summary elides it."""

import re

import duckdb
import pytest

from openkam.facts import reasons

VALUES = {"value": 'x,"y', "format": "DD/MM/YYYY", "field": "quantity", "currency": "THB"}


def written_by_duckdb(template: str) -> str:
    names = set(re.findall(r"%\((\w+)\)s", template))
    expressions = {n: "'" + VALUES.get(n, "2025-01-31").replace("'", "''") + "'" for n in names}
    return duckdb.sql("SELECT " + reasons.sql(template, **expressions)).fetchone()[0]


@pytest.mark.parametrize("template", reasons.TEMPLATES)
def test_each_reason_is_written_as_its_template_says_and_read_back(template):
    names = set(re.findall(r"%\((\w+)\)s", template))
    expected_values = {n: VALUES.get(n, "2025-01-31") for n in names}
    text = written_by_duckdb(template)
    assert text == template % expected_values if names else text == template
    assert reasons.parse(text) == (template, expected_values)


def test_the_summarys_elided_values_are_read_as_an_ellipsis():
    written = duckdb.sql(
        "SELECT " + reasons.sql(reasons.NOT_A_NUMBER, field="'quantity'", value="'12,5x'")
    ).fetchone()[0]
    elided = re.sub(r'"[^"]*"', "…", written)  # as the pipeline's summary does
    assert elided == "quantity … is not a number"
    assert reasons.parse(elided) == (reasons.NOT_A_NUMBER, {"field": "quantity", "value": "…"})


def test_a_text_that_is_not_a_reason_is_not_parsed():
    assert reasons.parse("the moon is made of cheese") is None
