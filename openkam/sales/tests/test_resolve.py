"""Matching and creating the accounts an import mentions, and the fast insert behind it."""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.contrib.contenttypes.models import ContentType

from openkam.accounts.models import Account, AccountStatus
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.sales import bulk
from openkam.sales.resolve import resolve_customers

pytestmark = pytest.mark.django_db

CUSTOMERS = pa.schema(
    [
        ("customer_key", pa.string()),
        ("customer_id", pa.string()),
        ("customer_name", pa.string()),
        ("country", pa.string()),
        ("currency", pa.string()),
    ]
)


def customers(*rows: tuple) -> pa.Table:
    return pa.Table.from_pylist(
        [dict(zip(CUSTOMERS.names, r, strict=True)) for r in rows], CUSTOMERS
    )


def test_new_accounts_are_created_with_their_country_and_a_change_log_entry():
    known = Account.objects.create(name="Known", external_id="K-1")
    table, created = resolve_customers(
        customers(
            ("K-1", "K-1", "Known", "TH", "THB"),
            ("C-1", "C-1", "Siam Mart", "th", "thb"),
            ("C-2", "C-2", "Hanoi Fresh", " Viet Nam ", "VND"),
            ("C-3", "C-3", "Beograd Market", "Serbia", "EURO"),
            ("Nameless Ltd", None, "Nameless Ltd", "Narnia", None),
            ("C-5", "C-5", None, None, "EUR"),
        )
    )
    assert created == 5
    account_of = dict(zip(*table.to_pydict().values(), strict=True))
    assert account_of["K-1"] == known.pk
    new = {a.pk: a for a in Account.objects.exclude(pk=known.pk)}
    assert sorted(new) == sorted(v for k, v in account_of.items() if k != "K-1")
    got = {
        key: (a.name, a.external_id, a.country.code or "", a.reporting_currency, a.status)
        for key, a in ((k, new[v]) for k, v in account_of.items() if k != "K-1")
    }
    assert got == {
        "C-1": ("Siam Mart", "C-1", "TH", "THB", AccountStatus.ACTIVE),
        "C-2": ("Hanoi Fresh", "C-2", "VN", "VND", AccountStatus.ACTIVE),
        "C-3": ("Beograd Market", "C-3", "RS", "USD", AccountStatus.ACTIVE),
        "Nameless Ltd": ("Nameless Ltd", "", "", "USD", AccountStatus.ACTIVE),
        "C-5": ("C-5", "C-5", "", "EUR", AccountStatus.ACTIVE),
    }
    for account in new.values():  # the defaults and time stamps a model instance would get
        assert account.history == "Created by a sales-history import."
        assert (account.legal_name, account.parent_id, account.employees) == ("", None, None)
        assert account.created_at is not None and account.updated_at is not None
    entries = ChangeLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Account))
    assert {(e.object_id, e.account_id, e.object_repr) for e in entries} == {
        (a.pk, a.pk, a.name) for a in new.values()
    }
    entry = entries.get(object_id=account_of["C-1"])
    assert (entry.action, entry.username, entry.user_id) == (ChangeAction.CREATE, "import", None)
    assert entry.changes["name"] == {"label": "name", "old": None, "new": "Siam Mart"}
    assert entry.created_at is not None


def test_insert_returns_the_keys_in_order_across_statements(monkeypatch):
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 3)
    names = [f"Account {i:02d}" for i in range(10)]
    pks = bulk.insert_returning_pks(Account, [{"name": n, "external_id": n[-2:]} for n in names])
    assert len(set(pks)) == 10
    assert [Account.objects.get(pk=pk).name for pk in pks] == names
    assert bulk.insert_returning_pks(Account, []) == []


def test_insert_refuses_an_unknown_field():
    with pytest.raises(ValueError, match="no field colour"):
        bulk.insert_returning_pks(Account, [{"name": "A", "colour": "red"}])
    assert not Account.objects.exists()
