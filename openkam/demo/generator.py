"""Deterministic demo data.

`generate_demo` turns a seed and a day into a plan: plain data, no database, always the same
for the same seed and day. `load_demo` writes a plan as the demo `admin`: users, accounts and
teams through the services; departments and people, which are many, in bulk after the same
validation, with the change-log entries the services would write.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, F, Q
from faker import Faker

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, Segment, TeamRole
from openkam.accounts.services import account_create, account_team_add
from openkam.activities.models import Activity
from openkam.catalog.models import Product, ProductCategory
from openkam.core.changelog import creation_changes
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.keyaccounts.models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)
from openkam.marketing.models import Programme, TargetList
from openkam.plans.models import AccountPlan
from openkam.stakeholders.coverage import deferred_refresh
from openkam.stakeholders.models import (
    BuyingRole,
    Department,
    DepartmentKind,
    Position,
    Stakeholder,
)
from openkam.stakeholders.services import (
    stakeholder_create,
    stakeholder_move,
    stakeholder_update,
)
from openkam.users.models import User
from openkam.users.roles import Role, roles_sync
from openkam.users.services import user_create
from openkam.winback.models import Campaign

from . import names
from .activities import load_activities
from .alerts import load_alert_signs
from .commitments import load_commitments
from .competition import load_competition, reset_competition
from .dossier import load_dossier
from .keyaccounts import KeyAccountPlan, load_key_accounts, plan_key_accounts
from .marketing import load_marketing
from .names import COUNTRY_SHARES, GroupCompany, Titles
from .people import load_people
from .plans import load_plans
from .satisfaction import load_satisfaction
from .timesplit import load_timesplit

DEMO_PASSWORD = "demo"  # noqa: S105 -- the documented password of every demo login
MIN_ACCOUNTS = 20
KAMS = ("kam1", "kam2", "kam3", "kam4", "kam5", "kam6")
DEMO_USERNAMES = ("admin", "director", *KAMS, "marketing", "viewer")

MAIN_COUNTRIES = ("TH", "VN", "RS", "PH")
STATUS_SHARES = {AccountStatus.KEY: 15, AccountStatus.PROSPECT: 20, AccountStatus.LOST: 10}
OWNER_PROBABILITY = {
    AccountStatus.KEY: 1.0,
    AccountStatus.ACTIVE: 0.75,
    AccountStatus.PROSPECT: 0.35,
    AccountStatus.LOST: 0.25,
}
SUPPORT_PROBABILITY = {AccountStatus.KEY: 0.5}
SPONSOR_PROBABILITY = 0.4
PEOPLE_PER_ACCOUNT = {
    AccountStatus.KEY: (8, 15),
    AccountStatus.ACTIVE: (3, 7),
    AccountStatus.PROSPECT: (1, 3),
    AccountStatus.LOST: (2, 5),
}
STRENGTH_WEIGHTS = {
    AccountStatus.KEY: (1, 2, 4, 5, 4),
    AccountStatus.ACTIVE: (1, 3, 5, 3, 1),
    AccountStatus.PROSPECT: (4, 4, 2, 1, 0),
    AccountStatus.LOST: (3, 4, 2, 1, 0),
}
MOVES = (5, 10)
STATUS_ORDER = (AccountStatus.KEY, AccountStatus.ACTIVE, AccountStatus.PROSPECT, AccountStatus.LOST)
FAKER_LOCALES = {"VN": "vi_VN", "ID": "id_ID", "DE": "de_DE", "US": "en_US"}
SERBIAN_STYLE = ("RS", "BA", "ME", "MK")
# Whose name comes from which country: the supplier's team is as international as its customers.
USER_COUNTRIES = {
    "director": "TH",
    "kam1": "TH",
    "kam2": "RS",
    "kam3": "PH",
    "kam4": "VN",
    "kam5": "TH",
    "kam6": "PH",
    "marketing": "VN",
    "viewer": "RS",
}
# Each demo user works in the language of their country; the director in English. kam1 reads
# dates in the Buddhist era, as Thai documents write them.
COUNTRY_LANGUAGES = {"TH": "th", "VN": "vi", "RS": "sr-latn", "PH": "fil"}
ENGLISH_USERS = {"director"}
BUDDHIST_ERA_USERS = {"kam1"}

_TOP_ROLES = {BuyingRole.DECISION_MAKER: 8, BuyingRole.CHAMPION: 1, BuyingRole.BLOCKER: 1}
_BUYING_HEAD_ROLES = {
    BuyingRole.DECISION_MAKER: 5,
    BuyingRole.INFLUENCER: 2,
    BuyingRole.CHAMPION: 2,
    BuyingRole.BLOCKER: 1,
}
_HEAD_ROLES = {
    BuyingRole.INFLUENCER: 4,
    BuyingRole.DECISION_MAKER: 1,
    BuyingRole.CHAMPION: 1,
    BuyingRole.BLOCKER: 1,
    BuyingRole.GATEKEEPER: 1,
}
_STAFF_ROLES = {
    BuyingRole.USER: 6,
    BuyingRole.INFLUENCER: 6,
    BuyingRole.GATEKEEPER: 4,
    BuyingRole.CHAMPION: 3,
    BuyingRole.BLOCKER: 1,
}


# -- The plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserSpec:
    username: str
    role: Role
    first_name: str
    last_name: str
    email: str
    max_key_accounts: int | None = None
    is_superuser: bool = False
    language: str = ""
    buddhist_era: bool = False


@dataclass(frozen=True)
class TeamSpec:
    username: str
    role: str
    since: dt.date


@dataclass(frozen=True)
class DepartmentSpec:
    kind: str
    name: str = ""


@dataclass(frozen=True)
class StakeholderSpec:
    name: str
    department: int
    job_title: str
    buying_role: str
    reports_to: int | None
    relationship_strength: int
    email: str
    phone: str
    notes: str
    started_on: dt.date


@dataclass
class AccountSpec:
    ref: int
    name: str
    legal_name: str
    country: str
    industry: str
    status: str
    parent: int | None = None
    external_id: str = ""
    segment: str | None = None
    employees: int | None = None
    website: str = ""
    description: str = ""
    history: str = ""
    environment_notes: str = ""
    reporting_currency: str = "USD"
    owner: str | None = None
    owner_fixed: bool = False
    owner_since: dt.date | None = None
    team: list[TeamSpec] = field(default_factory=list)
    departments: list[DepartmentSpec] = field(default_factory=list)
    stakeholders: list[StakeholderSpec] = field(default_factory=list)
    heads: dict[int, int] = field(default_factory=dict)
    emails: set[str] = field(default_factory=set, compare=False, repr=False)

    @property
    def domain(self) -> str:
        return self.website.removeprefix("https://")


@dataclass(frozen=True)
class MoveSpec:
    """A person who worked at one account and now works at another."""

    name: str
    phone: str
    relationship_strength: int
    from_account: int
    from_department: int
    from_title: str
    from_role: str
    from_email: str
    started_on: dt.date
    to_account: int
    to_department: int
    to_title: str
    to_role: str
    to_email: str
    reports_to: int
    moved_on: dt.date
    notes: str


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    category: str
    unit: str
    active: bool


@dataclass
class DemoPlan:
    seed: int
    today: dt.date
    users: list[UserSpec]
    accounts: list[AccountSpec]
    moves: list[MoveSpec]
    products: list[ProductSpec]
    key_accounts: KeyAccountPlan = field(default_factory=KeyAccountPlan)


class Person(NamedTuple):
    name: str
    first_name: str
    last_name: str
    email_local: str


@dataclass
class _Context:
    rng: random.Random
    fakers: dict[str, Faker]
    today: dt.date
    used_names: set[str] = field(default_factory=set)
    used_slugs: set[str] = field(default_factory=set)

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def weighted(self, weights: dict[str, int]) -> str:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]


def generate_demo(*, seed: int = 42, accounts: int = 300, today: dt.date) -> DemoPlan:
    """The demo data for `seed`: users, `accounts` accounts with teams and people, products."""
    if accounts < MIN_ACCOUNTS:
        raise ValueError(f"the demo needs at least {MIN_ACCOUNTS} accounts")
    ctx = _context(seed, today)
    users = _users(ctx)
    specs = _group_accounts(ctx)
    specs += _standalone_accounts(ctx, accounts - len(specs), specs)
    for number, spec in enumerate(specs, start=10001):
        spec.external_id = f"C-{number}"
    _assign_teams(ctx, specs, users)
    for spec in specs:
        _add_people(ctx, spec)
    moves = _moves(ctx, specs)
    plan = DemoPlan(seed, today, users, specs, moves, _products(ctx))
    plan.key_accounts = plan_key_accounts(seed=seed, today=today, accounts=specs, kams=KAMS)
    return plan


def _context(seed: int, today: dt.date) -> _Context:
    fakers = {}
    for locale in FAKER_LOCALES.values():
        fake = Faker(locale)
        fake.seed_instance(seed)
        fakers[locale] = fake
    return _Context(random.Random(seed), fakers, today)


# -- Names --------------------------------------------------------------------------------


_ASCII_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss"})
_SERBIAN_LETTERS = str.maketrans({"đ": "dj", "Đ": "Dj"})


def ascii_slug(text: str, separator: str = "-") -> str:
    """`text` without accents, lowercased, words joined by `separator`."""
    text = text.translate(_ASCII_LETTERS)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", separator, plain.lower()).strip(separator)


_T = TypeVar("_T")


def _gender_pick(ctx: _Context, male: tuple[_T, ...], female: tuple[_T, ...]) -> _T:
    return ctx.rng.choice(male if ctx.rng.random() < 0.5 else female)


def person_name(ctx: _Context, country: str, *, latin: bool = False) -> Person:
    """A plausible person from `country`, in the local script unless `latin`."""
    if country == "TH":
        return _thai_person(ctx, latin)
    if country == "VN":
        return _vietnamese_person(ctx)
    if country in SERBIAN_STYLE:
        first = _gender_pick(ctx, names.SERBIAN_GIVEN_MALE, names.SERBIAN_GIVEN_FEMALE)
        return _western_person(first, ctx.rng.choice(names.SERBIAN_FAMILY), _SERBIAN_LETTERS)
    if country == "PH":
        first = _gender_pick(ctx, names.FILIPINO_GIVEN_MALE, names.FILIPINO_GIVEN_FEMALE)
        return _western_person(first, ctx.rng.choice(names.FILIPINO_FAMILY))
    if country in ("MY", "SG"):
        return _malaysian_person(ctx)
    fake = ctx.fakers[FAKER_LOCALES[country]]
    first = fake.first_name_male() if ctx.rng.random() < 0.5 else fake.first_name_female()
    return _western_person(first, fake.last_name())


def _western_person(first: str, last: str, letters: dict[int, str] | None = None) -> Person:
    given, family = (
        (first.translate(letters), last.translate(letters)) if letters else (first, last)
    )
    return Person(
        f"{first} {last}", first, last, f"{ascii_slug(given, '')}.{ascii_slug(family, '')}"
    )


def _thai_person(ctx: _Context, latin: bool) -> Person:
    given_th, given = _gender_pick(ctx, names.THAI_GIVEN_MALE, names.THAI_GIVEN_FEMALE)
    family_th, family = ctx.rng.choice(names.THAI_FAMILY)
    local = f"{given.lower()}.{family[0].lower()}"
    if latin:
        return Person(f"{given} {family}", given, family, local)
    return Person(f"{given_th} {family_th}", given_th, family_th, local)


def _vietnamese_person(ctx: _Context) -> Person:
    fake = ctx.fakers["vi_VN"]
    if ctx.rng.random() < 0.5:
        given, middle = fake.first_name_male(), ctx.rng.choice(names.VIETNAMESE_MIDDLE_MALE)
    else:
        given, middle = fake.first_name_female(), ctx.rng.choice(names.VIETNAMESE_MIDDLE_FEMALE)
    family = fake.last_name()
    local = f"{ascii_slug(given, '')}.{ascii_slug(family, '')}"
    return Person(f"{family} {middle} {given}", given, family, local)


def _malaysian_person(ctx: _Context) -> Person:
    kind = ctx.rng.random()
    if kind < 0.45:
        family, given = ctx.rng.choice(names.CHINESE_FAMILY), ctx.rng.choice(names.CHINESE_GIVEN)
        return Person(
            f"{family} {given}", given, family, f"{ascii_slug(given, '')}.{family.lower()}"
        )
    if kind < 0.8:
        male = ctx.rng.random() < 0.5
        given = ctx.rng.choice(names.MALAY_GIVEN_MALE if male else names.MALAY_GIVEN_FEMALE)
        father = ctx.rng.choice(names.MALAY_FATHER)
        link = "bin" if male else "binti"
        return Person(
            f"{given} {link} {father}",
            given,
            f"{link} {father}",
            f"{ascii_slug(given, '')}.{father.lower()}",
        )
    return _western_person(ctx.rng.choice(names.INDIAN_GIVEN), ctx.rng.choice(names.INDIAN_FAMILY))


def phone_number(ctx: _Context, country: str) -> str:
    pattern = ctx.rng.choice(names.PHONE_FORMATS[country])
    return "".join(str(ctx.rng.randint(0, 9)) if ch == "#" else ch for ch in pattern)


def _unique_email(local: str, domain: str, used: set[str]) -> str:
    candidate, number = f"{local}@{domain}", 1
    while candidate in used:
        number += 1
        candidate = f"{local}{number}@{domain}"
    used.add(candidate)
    return candidate


# -- Users --------------------------------------------------------------------------------


def _users(ctx: _Context) -> list[UserSpec]:
    users = [
        UserSpec(
            "admin",
            Role.ADMINISTRATOR,
            "System",
            "Administrator",
            "admin@supplier.example",
            is_superuser=True,
        )
    ]
    roles = {
        "director": Role.SALES_DIRECTOR,
        **dict.fromkeys(KAMS, Role.KEY_ACCOUNT_MANAGER),
        "marketing": Role.MARKETING,
        "viewer": Role.VIEWER,
    }
    for username, role in roles.items():
        person = person_name(ctx, USER_COUNTRIES[username], latin=True)
        capacity = ctx.rng.randint(8, 15) if role == Role.KEY_ACCOUNT_MANAGER else None
        users.append(
            UserSpec(
                username,
                role,
                person.first_name,
                person.last_name,
                f"{person.email_local}@supplier.example",
                capacity,
                language=(
                    "en"
                    if username in ENGLISH_USERS
                    else COUNTRY_LANGUAGES[USER_COUNTRIES[username]]
                ),
                buddhist_era=username in BUDDHIST_ERA_USERS,
            )
        )
    return users


# -- Accounts -----------------------------------------------------------------------------


def _group_accounts(ctx: _Context) -> list[AccountSpec]:
    specs: list[AccountSpec] = []
    for group in names.GROUPS:
        _add_group_company(ctx, group, None, specs)
    return specs


def _add_group_company(
    ctx: _Context, company: GroupCompany, parent: int | None, specs: list[AccountSpec]
) -> None:
    ctx.used_names.add(company.name)
    city = names.CITIES[company.country][0]
    spec = _account(
        ctx,
        ref=len(specs),
        name=company.name,
        legal_name=company.legal_name,
        country=company.country,
        industry=company.industry,
        status=company.status,
        city=city,
    )
    spec.parent, spec.owner, spec.owner_fixed = parent, company.owner, True
    specs.append(spec)
    for subsidiary in company.subsidiaries:
        _add_group_company(ctx, subsidiary, spec.ref, specs)


def _standalone_accounts(
    ctx: _Context, count: int, existing: list[AccountSpec]
) -> list[AccountSpec]:
    countries = _country_pool(count, existing)
    statuses = _status_pool(count, existing)
    ctx.rng.shuffle(countries)
    ctx.rng.shuffle(statuses)
    industries = list(names.INDUSTRIES)
    weights = [names.INDUSTRIES[i].weight for i in industries]
    specs = []
    for offset, (country, status) in enumerate(zip(countries, statuses, strict=True)):
        industry = ctx.rng.choices(industries, weights=weights)[0]
        city = ctx.rng.choice(names.CITIES[country])
        name, legal_name = _company_name(ctx, country, industry, city)
        specs.append(
            _account(
                ctx,
                ref=len(existing) + offset,
                name=name,
                legal_name=legal_name,
                country=country,
                industry=industry,
                status=status,
                city=city,
            )
        )
    return specs


def _shares(total: int, shares: dict[str, int]) -> dict[str, int]:
    """Split `total` by `shares` (largest remainder), so the parts add up exactly."""
    whole = sum(shares.values())
    parts = {key: total * share // whole for key, share in shares.items()}
    by_remainder = sorted(shares, key=lambda key: -(total * shares[key] % whole))
    for key in by_remainder[: total - sum(parts.values())]:
        parts[key] += 1
    return parts


def _country_pool(count: int, existing: list[AccountSpec]) -> list[str]:
    quota = _shares(count + len(existing), COUNTRY_SHARES)
    for spec in existing:
        country = (
            spec.country
            if spec.country in quota
            else max((c for c in quota if c not in MAIN_COUNTRIES), key=quota.__getitem__)
        )
        quota[country] = max(0, quota[country] - 1)
    pool = [country for country, n in quota.items() for _ in range(n)]
    while len(pool) < count:
        pool.append("TH")
    return pool[:count]


def _status_pool(count: int, existing: list[AccountSpec]) -> list[str]:
    total = count + len(existing)
    already = Counter(spec.status for spec in existing)
    pool: list[str] = []
    for status, share in STATUS_SHARES.items():
        pool += [status] * max(0, round(total * share / 100) - already[status])
    pool = pool[:count]
    return pool + [AccountStatus.ACTIVE] * (count - len(pool))


def _company_name(ctx: _Context, country: str, industry: str, city: str) -> tuple[str, str]:
    for _attempt in range(40):
        name, legal_name = _company_name_candidate(ctx, country, industry, city)
        if name not in ctx.used_names:
            break
    else:
        name, legal_name = f"{name} {city}", f"{legal_name} ({city})"
    ctx.used_names.add(name)
    return name, legal_name


def _company_name_candidate(
    ctx: _Context, country: str, industry: str, city: str
) -> tuple[str, str]:
    rng = ctx.rng
    if country == "TH":
        prefix, prefix_th = rng.choice(names.THAI_PREFIXES)
        name = rng.choice(names.INDUSTRIES[industry].names).format(p=prefix)
        if rng.random() < 0.25:
            return name, f"{name} Co., Ltd."
        return name, names.THAI_LEGAL[industry].format(p=prefix_th)
    if country == "VN":
        prefix = rng.choice(names.VIETNAMESE_PREFIXES)
        name = rng.choice(names.VIETNAMESE_NAMES[industry]).format(p=prefix)
        return name, names.VIETNAMESE_LEGAL[industry].format(p=prefix)
    if country in SERBIAN_STYLE:
        name = rng.choice(names.SERBIAN_NAMES[industry]).format(
            p=rng.choice(names.SERBIAN_PREFIXES)
        )
        form = "a.d." if industry == "bank" else "d.o.o."
        return name, f"{name} {form} {city}"
    prefixes = names.FILIPINO_PREFIXES if country == "PH" else names.OTHER_PREFIXES[country]
    name = rng.choice(names.INDUSTRIES[industry].names).format(p=rng.choice(prefixes))
    return name, rng.choice(names.LEGAL_SUFFIXES[country]).format(n=name)


def _account(
    ctx: _Context,
    *,
    ref: int,
    name: str,
    legal_name: str,
    country: str,
    industry: str,
    status: str,
    city: str,
) -> AccountSpec:
    profile = names.INDUSTRIES[industry]
    return AccountSpec(
        ref=ref,
        name=name,
        legal_name=legal_name,
        country=country,
        industry=industry,
        status=status,
        segment=profile.segment,
        employees=_employees(ctx, profile.employees, status),
        website=f"https://{_unique_slug(ctx, name)}.example",
        description=profile.description.format(n=ctx.rng.randint(*profile.units), city=city),
        history=_history(ctx, status),
        environment_notes=_environment(ctx, status),
        reporting_currency=names.CURRENCIES.get(country, "USD"),
    )


def _employees(ctx: _Context, bounds: tuple[int, int], status: str) -> int:
    low, high = bounds
    if status == AccountStatus.KEY:
        low = (low + high) // 2
    count = ctx.rng.randint(low, high)
    return round(count, -1) if count >= 1000 else count


def _unique_slug(ctx: _Context, name: str) -> str:
    base = ascii_slug(name) or "account"
    slug, number = base, 1
    while slug in ctx.used_slugs:
        number += 1
        slug = f"{base}-{number}"
    ctx.used_slugs.add(slug)
    return slug


def _history(ctx: _Context, status: str) -> str:
    year = ctx.today.year
    if status == AccountStatus.PROSPECT:
        return ""
    since = year - ctx.rng.randint(2, 12)
    if status == AccountStatus.LOST:
        until = ctx.rng.randint(since + 1, year)
        return f"Customer from {since} to {until}; {ctx.rng.choice(names.LOSS_REASONS)}."
    event = ctx.rng.choice(names.HISTORY_EVENTS).format(year=ctx.rng.randint(since, year))
    return f"Customer since {since}. {event}"


def _environment(ctx: _Context, status: str) -> str:
    if status != AccountStatus.KEY and ctx.rng.random() > 0.3:
        return ""
    first, second = ctx.rng.sample(names.COMPETITORS, 2)
    return f"Main competitors at this account: {first} and {second}."


# -- Account teams ------------------------------------------------------------------------


def _assign_teams(ctx: _Context, specs: list[AccountSpec], users: list[UserSpec]) -> None:
    capacity = {u.username: u.max_key_accounts or 0 for u in users if u.username in KAMS}
    key_owned = Counter(
        s.owner for s in specs if s.owner_fixed and s.owner and s.status == AccountStatus.KEY
    )
    for spec in specs:
        if not spec.owner_fixed and ctx.rng.random() < OWNER_PROBABILITY[spec.status]:
            is_key = spec.status == AccountStatus.KEY
            full = [k for k in KAMS if key_owned[k] >= capacity[k]] if is_key else []
            spec.owner = _pick_kam(ctx, spec.country, exclude=full)
            key_owned[spec.owner] += is_key
        if spec.owner:
            spec.owner_since = ctx.days_ago(60, 2500)
        _add_helpers(ctx, spec, specs)
    _ensure_overlap(ctx, specs)


def _pick_kam(ctx: _Context, country: str, *, exclude: list[str]) -> str:
    candidates = [k for k in KAMS if k not in exclude] or list(KAMS)
    weights = [6 if country in names.KAM_HOMES[k] else 1 for k in candidates]
    return ctx.rng.choices(candidates, weights=weights)[0]


def _add_helpers(ctx: _Context, spec: AccountSpec, specs: list[AccountSpec]) -> None:
    if ctx.rng.random() < SUPPORT_PROBABILITY.get(spec.status, 0.2):
        helper = _pick_kam(ctx, spec.country, exclude=[spec.owner or ""])
        spec.team.append(TeamSpec(helper, TeamRole.SUPPORT, ctx.days_ago(30, 1500)))
    is_group_parent = spec.parent is None and any(s.parent == spec.ref for s in specs)
    if is_group_parent or (
        spec.status == AccountStatus.KEY and ctx.rng.random() < SPONSOR_PROBABILITY
    ):
        spec.team.append(TeamSpec("director", TeamRole.EXECUTIVE_SPONSOR, ctx.days_ago(30, 1500)))


def _ensure_overlap(ctx: _Context, specs: list[AccountSpec]) -> None:
    """kam1 supports kam2 on one account, so a KAM sees an account someone else owns."""
    target = next(s for s in specs if s.owner == "kam2")
    if all(member.username != "kam1" for member in target.team):
        target.team.append(TeamSpec("kam1", TeamRole.SUPPORT, ctx.days_ago(30, 700)))


# -- People -------------------------------------------------------------------------------


def titles_for(industry: str, kind: str) -> Titles:
    return names.INDUSTRY_TITLES.get((industry, kind), names.TITLES[kind])


def _departments(ctx: _Context, spec: AccountSpec, people: int) -> list[DepartmentSpec]:
    priority = names.INDUSTRIES[spec.industry].departments
    wanted = min(len(priority), people // 2)
    kinds = []
    if wanted:
        kinds = ["buying", *ctx.rng.sample(priority[1:], wanted - 1)]
        kinds.sort(key=priority.index)
    departments = [DepartmentSpec("management")]
    for kind in kinds:
        if kind == "buying" and _splits_buying(spec, people):
            departments += [
                DepartmentSpec("buying", "Buying — fresh food"),
                DepartmentSpec("buying", "Buying — grocery & non-food"),
            ]
        else:
            departments.append(DepartmentSpec(kind))
    return departments


def _splits_buying(spec: AccountSpec, people: int) -> bool:
    return spec.status == AccountStatus.KEY and spec.segment == "Modern trade" and people >= 10


def _add_people(ctx: _Context, spec: AccountSpec) -> None:
    people = ctx.rng.randint(*PEOPLE_PER_ACCOUNT[spec.status])
    spec.departments = _departments(ctx, spec, people)
    spec.heads = {0: 0}
    _add_stakeholder(ctx, spec, department=0, head=True, reports_to=None)
    for index in range(1, len(spec.departments)):
        spec.heads[index] = len(spec.stakeholders)
        _add_stakeholder(ctx, spec, department=index, head=True, reports_to=0)
    weights = [3 if d.kind == "buying" else 1 for d in spec.departments]
    while len(spec.stakeholders) < people:
        index = ctx.rng.choices(range(len(spec.departments)), weights=weights)[0]
        _add_stakeholder(ctx, spec, department=index, head=False, reports_to=spec.heads[index])


def _buying_role(ctx: _Context, kind: str, *, head: bool, top: bool) -> str:
    if top:
        return ctx.weighted(_TOP_ROLES)
    if head:
        return ctx.weighted(_BUYING_HEAD_ROLES if kind == "buying" else _HEAD_ROLES)
    return ctx.weighted(_STAFF_ROLES)


def _add_stakeholder(
    ctx: _Context, spec: AccountSpec, *, department: int, head: bool, reports_to: int | None
) -> None:
    kind = spec.departments[department].kind
    titles = titles_for(spec.industry, kind)
    person = person_name(ctx, spec.country)
    notes = ctx.rng.choice(names.STAKEHOLDER_NOTES) if ctx.rng.random() < 0.2 else ""
    spec.stakeholders.append(
        StakeholderSpec(
            name=person.name,
            department=department,
            job_title=ctx.rng.choice(titles.head if head else titles.staff),
            buying_role=_buying_role(ctx, kind, head=head, top=reports_to is None),
            reports_to=reports_to,
            relationship_strength=_strength(ctx, spec.status),
            email=_unique_email(person.email_local, spec.domain, spec.emails),
            phone=phone_number(ctx, spec.country),
            notes=notes,
            started_on=ctx.days_ago(30, 3650),
        )
    )


def _strength(ctx: _Context, status: str) -> int:
    return ctx.rng.choices(range(1, 6), weights=STRENGTH_WEIGHTS[status])[0]


def _buying_department(spec: AccountSpec) -> int:
    return next((i for i, d in enumerate(spec.departments) if d.kind == "buying"), 0)


def _moves(ctx: _Context, specs: list[AccountSpec]) -> list[MoveSpec]:
    moves = []
    for _ in range(ctx.rng.randint(*MOVES)):
        retailers = [
            s for s in specs if s.segment == "Modern trade" and s.country in MAIN_COUNTRIES
        ]
        source = ctx.rng.choice(retailers or specs)
        target = _move_target(ctx, source, specs)
        moves.append(_move(ctx, source, target))
    return moves


def _move_target(ctx: _Context, source: AccountSpec, specs: list[AccountSpec]) -> AccountSpec:
    others = [s for s in specs if s.ref != source.ref]
    same_country = [s for s in others if s.country == source.country]
    alike = [s for s in same_country if s.segment == source.segment]
    return ctx.rng.choice(alike or same_country or others)


def _move(ctx: _Context, source: AccountSpec, target: AccountSpec) -> MoveSpec:
    person = person_name(ctx, source.country)
    old_department, new_department = _buying_department(source), _buying_department(target)
    old_kind = source.departments[old_department].kind
    new_titles = titles_for(target.industry, target.departments[new_department].kind).staff
    old_title = ctx.rng.choice(titles_for(source.industry, old_kind).staff)
    new_title = ctx.rng.choice([t for t in new_titles if t != old_title] or new_titles)
    moved_on = ctx.days_ago(60, 900)
    return MoveSpec(
        name=person.name,
        phone=phone_number(ctx, source.country),
        relationship_strength=_strength(ctx, target.status),
        from_account=source.ref,
        from_department=old_department,
        from_title=old_title,
        from_role=ctx.weighted(_STAFF_ROLES),
        from_email=_unique_email(person.email_local, source.domain, source.emails),
        started_on=moved_on - dt.timedelta(days=ctx.rng.randint(400, 2500)),
        to_account=target.ref,
        to_department=new_department,
        to_title=new_title,
        to_role=ctx.weighted(_STAFF_ROLES),
        to_email=_unique_email(person.email_local, target.domain, target.emails),
        reports_to=target.heads[new_department],
        moved_on=moved_on,
        notes=f"Was {old_title} at {source.name}; knows our terms there well.",
    )


# -- Products -----------------------------------------------------------------------------


def _products(ctx: _Context) -> list[ProductSpec]:
    products = []
    for _code, category, unit, product_names in names.PRODUCTS:
        for product in product_names:
            code = f"SKU-{len(products) + 1:04d}"
            products.append(ProductSpec(code, product, category, unit, ctx.rng.random() > 0.05))
    return products


# -- Loading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Login:
    username: str
    role: str
    name: str
    detail: str


@dataclass(frozen=True)
class DemoSummary:
    users: int
    accounts: dict[str, int]
    groups: int
    team_members: int
    segments: int
    departments: int
    stakeholders: int
    moved: int
    positions: int
    categories: int
    products: int
    changelog: int
    logins: list[Login]
    nominations: int = 0
    types: int = 0
    three_ps: int = 0
    ratings: int = 0
    handovers: int = 0


def demo_loaded() -> bool:
    """True when the demo users (other than `admin`, which may be a real one) exist."""
    return User.objects.filter(username__in=DEMO_USERNAMES[1:]).exists()


@transaction.atomic
def reset_demo() -> None:
    """Delete what the demo loads: every account and its people, segments, products, the change
    log, the key-account decisions and weights, the marketing lists and programmes, the win-back
    campaigns, and every user who is not a superuser (plus the demo `admin`)."""
    ChangeLogEntry.objects.all().delete()
    AccountPlan.objects.all().delete()  # with their parts
    reset_competition()
    for model in (
        Programme,  # with their steps
        TargetList,  # with their members
        Campaign,  # with their targets
        NominationDecision,
        KeyAccountTypeAssignment,
        ProspectAssessment,
        QualificationRating,
        Handover,
        QualificationWeights,
    ):
        model.objects.all().delete()
    Activity.objects.all().delete()
    Position.objects.all().delete()
    Stakeholder.objects.update(reports_to=None)
    Stakeholder.objects.all().delete()
    Department.objects.all().delete()
    AccountTeamMember.objects.all().delete()
    Account.objects.update(parent=None)
    Account.objects.all().delete()
    Segment.objects.all().delete()
    Product.objects.all().delete()
    ProductCategory.objects.update(parent=None)
    ProductCategory.objects.all().delete()
    User.objects.filter(Q(is_superuser=False) | Q(username__in=DEMO_USERNAMES)).delete()


@transaction.atomic
def load_demo(*, plan: DemoPlan, reset: bool = False) -> DemoSummary:
    """Write `plan` to the database (after deleting the previous demo data if `reset`)."""
    with deferred_refresh(everything=True):  # the coverage gaps, once at the end
        return _load_demo(plan=plan, reset=reset)


def _load_demo(*, plan: DemoPlan, reset: bool) -> DemoSummary:
    if reset:
        reset_demo()
    roles_sync()
    users, kept = _load_users(plan.users)
    _load_catalog(plan.products)
    loader = _Loader(actor=users["admin"], users=users)
    for spec in plan.accounts:
        loader.account(spec)
    loader.departments_of(plan.accounts)
    loader.people_of(plan.accounts)
    for move in plan.moves:
        loader.move(move)
    load_key_accounts(plan=plan.key_accounts, accounts=loader.accounts, users=users)
    load_people(
        seed=plan.seed,
        today=plan.today,
        accounts=loader.accounts,
        moved_emails=[m.to_email for m in plan.moves],
        actor=users["admin"],
    )
    load_dossier(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_activities(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_competition(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_plans(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_timesplit(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_commitments(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_satisfaction(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    load_marketing(seed=plan.seed, today=plan.today, accounts=loader.accounts, users=users)
    load_alert_signs(seed=plan.seed, today=plan.today, accounts=loader.accounts)
    return demo_summary(kept=kept)


def _load_users(specs: list[UserSpec]) -> tuple[dict[str, User], list[str]]:
    """The demo users by username, and the usernames of existing users kept as they were."""
    users, kept = {}, []
    for spec in specs:
        existing = _existing_superuser(spec)
        if existing is not None:
            kept.append(spec.username)
        users[spec.username] = existing or user_create(
            username=spec.username,
            password=DEMO_PASSWORD,
            role=spec.role,
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            max_key_accounts=spec.max_key_accounts,
            is_superuser=spec.is_superuser,
            language=spec.language,
            buddhist_era=spec.buddhist_era,
        )
    return users, kept


def _existing_superuser(spec: UserSpec) -> User | None:
    """A superuser someone already made under the demo's name (`kam createsuperuser` admin)
    is kept as he is."""
    if not spec.is_superuser:
        return None
    return User.objects.filter(username=spec.username, is_superuser=True).first()


def _load_catalog(products: list[ProductSpec]) -> None:
    categories = {}
    for code, name, _unit, _names in names.PRODUCTS:
        category = ProductCategory(name=name, code=code)
        category.full_clean()
        category.save()
        categories[name] = category
    rows = [
        Product(
            code=p.code, name=p.name, category=categories[p.category], unit=p.unit, active=p.active
        )
        for p in products
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    Product.objects.bulk_create(rows)


class _Loader:
    """Writes the accounts and teams through the services; departments and people, which are
    many, in bulk after the same validation, with the change-log entries the services write."""

    def __init__(self, *, actor: User, users: dict[str, User]) -> None:
        self.actor = actor
        self.users = users
        self.kinds = {kind.code: kind for kind in DepartmentKind.objects.all()}
        self.segments = self._segments()
        self.accounts: dict[int, Account] = {}
        self.departments: dict[tuple[int, int], Department] = {}
        self.stakeholders: dict[tuple[int, int], Stakeholder] = {}

    def _segments(self) -> dict[str, Segment]:
        segments = {}
        for name, description in names.SEGMENTS.items():
            segment = Segment(name=name, description=description)
            segment.full_clean()
            segment.save()
            segments[name] = segment
        return segments

    def account(self, spec: AccountSpec) -> None:
        data = {
            "name": spec.name,
            "legal_name": spec.legal_name,
            "external_id": spec.external_id,
            "parent": self.accounts.get(spec.parent) if spec.parent is not None else None,
            "status": spec.status,
            "country": spec.country,
            "industry": spec.industry,
            "segment": self.segments.get(spec.segment or ""),
            "employees": spec.employees,
            "website": spec.website,
            "description": spec.description,
            "history": spec.history,
            "environment_notes": spec.environment_notes,
            "reporting_currency": spec.reporting_currency,
        }
        owner = self.users[spec.owner] if spec.owner else None
        # Key accounts' nomination decisions are loaded with the rest of their history.
        account = account_create(actor=self.actor, data=data, owner=owner, nominated=True)
        if owner is not None:
            account.team.filter(role=TeamRole.OWNER).update(since=spec.owner_since)
        for member in spec.team:
            account_team_add(
                actor=self.actor,
                account=account,
                user=self.users[member.username],
                role=member.role,
                since=member.since,
            )
        self.accounts[spec.ref] = account

    def departments_of(self, specs: list[AccountSpec]) -> None:
        for spec in specs:
            for index, department in enumerate(spec.departments):
                self.departments[(spec.ref, index)] = Department(
                    account=self.accounts[spec.ref],
                    kind=self.kinds[department.kind],
                    name=department.name,
                )
        self._bulk_create(Department, list(self.departments.values()))

    def people_of(self, specs: list[AccountSpec]) -> None:
        """Everyone at the accounts, top of each org chart first, so bosses exist when their
        reports are written; then each person's current position."""
        by_depth: dict[int, list[Stakeholder]] = {}
        for spec in specs:
            depths: dict[int, int] = {}
            for index, person in enumerate(spec.stakeholders):
                boss = person.reports_to
                depths[index] = 0 if boss is None else depths[boss] + 1
                by_depth.setdefault(depths[index], []).append(self._stakeholder(spec, index))
        for depth in sorted(by_depth):
            self._bulk_create(Stakeholder, by_depth[depth])
        positions = [
            self._position(spec, index) for spec in specs for index in range(len(spec.stakeholders))
        ]
        for position in positions:
            position.full_clean(
                exclude=["stakeholder", "account", "department"], validate_constraints=False
            )
        Position.objects.bulk_create(positions)

    def _stakeholder(self, spec: AccountSpec, index: int) -> Stakeholder:
        person = spec.stakeholders[index]
        boss = person.reports_to
        stakeholder = Stakeholder(
            account=self.accounts[spec.ref],
            name=person.name,
            department=self.departments[(spec.ref, person.department)],
            job_title=person.job_title,
            buying_role=person.buying_role,
            reports_to=self.stakeholders[(spec.ref, boss)] if boss is not None else None,
            relationship_strength=person.relationship_strength,
            email=person.email,
            phone=person.phone,
            notes=person.notes,
        )
        self.stakeholders[(spec.ref, index)] = stakeholder
        return stakeholder

    def _position(self, spec: AccountSpec, index: int) -> Position:
        stakeholder = self.stakeholders[(spec.ref, index)]
        return Position(
            stakeholder=stakeholder,
            account=stakeholder.account,
            department=stakeholder.department,
            job_title=stakeholder.job_title,
            buying_role=stakeholder.buying_role,
            started_on=spec.stakeholders[index].started_on,
        )

    def _bulk_create(self, model: type[Department | Stakeholder], rows: list) -> None:
        """Validate like `full_clean` (the related rows were made here, so they exist; the
        database enforces the constraints), insert, and log each row's creation."""
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for row in rows:
            row.full_clean(exclude=relations, validate_constraints=False)
        model.objects.bulk_create(rows)
        content_type = ContentType.objects.get_for_model(model)
        ChangeLogEntry.objects.bulk_create(
            ChangeLogEntry(
                user=self.actor,
                username=self.actor.get_username(),
                action=ChangeAction.CREATE,
                content_type=content_type,
                object_id=row.pk,
                object_repr=str(row)[:250],
                account_id=row.account_id,
                changes=creation_changes(row),
            )
            for row in rows
        )

    def move(self, move: MoveSpec) -> None:
        person = stakeholder_create(
            actor=self.actor,
            account=self.accounts[move.from_account],
            on=move.started_on,
            data={
                "name": move.name,
                "department": self.departments[(move.from_account, move.from_department)],
                "job_title": move.from_title,
                "buying_role": move.from_role,
                "relationship_strength": move.relationship_strength,
                "email": move.from_email,
                "phone": move.phone,
            },
        )
        person = stakeholder_move(
            actor=self.actor,
            stakeholder=person,
            account=self.accounts[move.to_account],
            department=self.departments[(move.to_account, move.to_department)],
            job_title=move.to_title,
            buying_role=move.to_role,
            on=move.moved_on,
        )
        stakeholder_update(
            actor=self.actor,
            stakeholder=person,
            data={
                "reports_to": self.stakeholders[(move.to_account, move.reports_to)],
                "email": move.to_email,
                "notes": move.notes,
            },
        )


def demo_summary(*, kept: list[str] | None = None) -> DemoSummary:
    """What the database holds now, counted the way the `demo` command reports it. `kept`: demo
    usernames that belonged to existing users, whose passwords the demo left alone."""
    statuses = dict(Account.objects.values_list("status").annotate(n=Count("id")))
    return DemoSummary(
        users=User.objects.count(),
        accounts={status: statuses.get(status, 0) for status in STATUS_ORDER},
        groups=Account.objects.filter(parent=None, subsidiaries__isnull=False).distinct().count(),
        team_members=AccountTeamMember.objects.count(),
        segments=Segment.objects.count(),
        departments=Department.objects.count(),
        stakeholders=Stakeholder.objects.count(),
        moved=Position.objects.exclude(account=F("stakeholder__account"))
        .values("stakeholder")
        .distinct()
        .count(),
        positions=Position.objects.count(),
        categories=ProductCategory.objects.count(),
        products=Product.objects.count(),
        changelog=ChangeLogEntry.objects.count(),
        logins=_logins(kept or []),
        nominations=NominationDecision.objects.count(),
        types=KeyAccountTypeAssignment.objects.count(),
        three_ps=ProspectAssessment.objects.count(),
        ratings=QualificationRating.objects.count(),
        handovers=Handover.objects.count(),
    )


def _logins(kept: list[str]) -> list[Login]:
    owners = AccountTeamMember.objects.filter(role=TeamRole.OWNER)
    owned = Counter(owners.values_list("user__username", flat=True))
    key_owned = Counter(
        owners.filter(account__status=AccountStatus.KEY).values_list("user__username", flat=True)
    )
    users = User.objects.filter(username__in=DEMO_USERNAMES).prefetch_related("groups")
    logins = []
    for user in sorted(users, key=lambda u: DEMO_USERNAMES.index(u.username)):
        role = ", ".join(g.name for g in user.groups.all()) or "Superuser"
        detail = "existing user, password unchanged" if user.username in kept else ""
        if user.username in KAMS:
            detail = (
                f"owns {owned[user.username]} accounts, {key_owned[user.username]} key "
                f"(max {user.max_key_accounts})"
            )
        language = dict(settings.LANGUAGES).get(user.language, "")
        if language:
            era = ", Buddhist era" if user.buddhist_era else ""
            detail = f"{detail}; {language}{era}" if detail else f"{language}{era}"
        logins.append(Login(user.username, role, user.get_full_name(), detail))
    return logins
