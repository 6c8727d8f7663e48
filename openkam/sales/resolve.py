"""Matching what an import mentions to the Django database: accounts, products, rates."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_noop
from django_countries import countries

from openkam.accounts.currencies import is_currency
from openkam.accounts.models import Account, AccountStatus
from openkam.catalog.models import Product, ProductCategory
from openkam.core.models import ChangeAction, ChangeLogEntry

from .bulk import insert_returning_pks
from .models import ExchangeRate

ACCOUNTS_SCHEMA = pa.schema([("customer_key", pa.string()), ("account_id", pa.int64())])
PRODUCTS_SCHEMA = pa.schema(
    [("product_code", pa.string()), ("product_id", pa.int64()), ("category_id", pa.int64())]
)
FX_SCHEMA = pa.schema(
    [("currency", pa.string()), ("valid_from", pa.date32()), ("rate", pa.decimal128(18, 8))]
)


class _CountryCodes:
    """A file's country values ("TH", "Thailand") as ISO codes, each distinct value looked up
    once: django-countries builds its list for every `in` and walks it for every name."""

    def __init__(self) -> None:
        self.codes = {code for code, _name in countries}
        self.known: dict[str, str] = {}

    def __call__(self, value: str | None) -> str:
        if not value:
            return ""
        code = self.known.get(value)
        if code is None:
            code = self.known[value] = self._look_up(value.strip())
        return code

    def _look_up(self, value: str) -> str:
        if len(value) == 2 and value.upper() in self.codes:
            return value.upper()
        return countries.by_name(value) or ""


def resolve_customers(customers: pa.Table, *, actor=None) -> tuple[pa.Table, int]:
    """Match each customer of the file to an account — by external id, then by exact name —
    creating the ones not known yet. Returns (customer_key → account_id, accounts created)."""
    rows = customers.to_pylist()
    ids = {r["customer_id"] for r in rows if r["customer_id"]}
    names = {r["customer_name"] for r in rows if r["customer_name"]}
    by_id = dict(Account.objects.filter(external_id__in=ids).values_list("external_id", "pk"))
    by_name: dict[str, int] = {}
    for name, pk in Account.objects.filter(name__in=names).order_by("pk").values_list("name", "pk"):
        by_name.setdefault(name, pk)
    matched, new = {}, {}
    country_code = _CountryCodes()
    for row in rows:
        pk = by_id.get(row["customer_id"]) if row["customer_id"] else None
        if pk is None and row["customer_name"]:
            pk = by_name.get(row["customer_name"])
        if pk is not None:
            matched[row["customer_key"]] = pk
        else:
            new[row["customer_key"]] = _new_account(row, country_code)
    created = insert_returning_pks(Account, list(new.values()))
    for key, pk in zip(new, created, strict=True):
        matched[key] = pk
    _log_created([(pk, row["name"]) for pk, row in zip(created, new.values(), strict=True)], actor)
    table = pa.Table.from_pylist(
        [{"customer_key": k, "account_id": v} for k, v in matched.items()], schema=ACCOUNTS_SCHEMA
    )
    return table, len(created)


def _new_account(row: dict, country_code: _CountryCodes) -> dict:
    """A new account's fields (the others take their defaults)."""
    currency = (row.get("currency") or "").upper()
    return {
        "name": (row["customer_name"] or row["customer_id"])[:200],
        "external_id": (row["customer_id"] or "")[:64],
        "country": country_code(row.get("country")),
        "status": AccountStatus.ACTIVE,
        "reporting_currency": currency if is_currency(currency) else "USD",
        "history": "Created by a sales-history import.",
    }


def _log_created(accounts: list[tuple[int, str]], actor) -> None:
    """A change-log entry for every (pk, name) of a created account, as the UI writes one."""
    if not accounts:
        return
    content_type = ContentType.objects.get_for_model(Account)
    user = actor if getattr(actor, "is_authenticated", False) else None
    username = user.get_username() if user else "import"
    # Recorded untranslated, shown in the reader's language (core.changelog.readable_changes).
    source = {
        "label": gettext_noop("source"),
        "old": None,
        "new": gettext_noop("sales-history import"),
    }
    insert_returning_pks(
        ChangeLogEntry,
        [
            {
                "user_id": user.pk if user else None,
                "username": username,
                "action": ChangeAction.CREATE,
                "content_type_id": content_type.pk,
                "object_id": pk,
                "object_repr": name[:250],
                "account_id": pk,
                "changes": {"name": {"label": "name", "old": None, "new": name}, "source": source},
            }
            for pk, name in accounts
        ],
    )


def resolve_products(products: pa.Table) -> tuple[pa.Table, int]:
    """Products by code and categories by name, created as they appear."""
    rows = products.to_pylist()
    category_names = {r["category"] for r in rows if r["category"]}
    categories = dict(
        ProductCategory.objects.filter(name__in=category_names, parent__isnull=True).values_list(
            "name", "pk"
        )
    )
    missing = [ProductCategory(name=n[:150]) for n in sorted(category_names - set(categories))]
    for category in ProductCategory.objects.bulk_create(missing):
        categories[category.name] = category.pk
    codes = [r["product_code"] for r in rows]
    known = {
        code: (pk, category_id)
        for code, pk, category_id in Product.objects.filter(code__in=codes).values_list(
            "code", "pk", "category_id"
        )
    }
    new = [
        Product(
            code=r["product_code"][:64],
            name=(r["description"] or r["product_code"])[:250],
            category_id=categories.get(r["category"]),
        )
        for r in rows
        if r["product_code"] not in known
    ]
    for product in Product.objects.bulk_create(new, batch_size=2000):
        known[product.code] = (product.pk, product.category_id)
    table = pa.Table.from_pylist(
        [
            {"product_code": code, "product_id": pk, "category_id": category}
            for code, (pk, category) in known.items()
        ],
        schema=PRODUCTS_SCHEMA,
    )
    return table, len(new)


def exchange_rates_table() -> pa.Table:
    rows = [
        {"currency": c, "valid_from": d, "rate": Decimal(r).quantize(Decimal("1e-8"))}
        for c, d, r in ExchangeRate.objects.order_by("currency", "valid_from").values_list(
            "currency", "valid_from", "rate"
        )
    ]
    return pa.Table.from_pylist(rows, schema=FX_SCHEMA)
