import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.catalog.models import Product
from openkam.core.models import ChangeAction, ChangeLogEntry
from openkam.demo.generator import DEMO_USERNAMES, generate_demo, reset_demo
from openkam.keyaccounts.models import NominationDecision, ProspectAssessment, QualificationWeights
from openkam.sales.demo_history import reset_sales_history
from openkam.stakeholders.models import Position, Stakeholder
from openkam.users.models import User

ACCOUNTS = 40
TODAY = dt.date(2025, 6, 1)


def run_demo(*args: str, seed: int = 42, accounts: int = ACCOUNTS, orders: int = 0) -> str:
    """The demo without sales history unless asked: that has its own test below."""
    out = StringIO()
    call_command("demo", *args, seed=seed, accounts=accounts, orders=orders, stdout=out)
    return out.getvalue()


def names_and_owners() -> list[tuple[str, str, str | None]]:
    owners = dict(
        AccountTeamMember.objects.filter(role=TeamRole.OWNER).values_list(
            "account__external_id", "user__username"
        )
    )
    return [
        (external_id, name, owners.get(external_id))
        for external_id, name in Account.objects.order_by("external_id").values_list(
            "external_id", "name"
        )
    ]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The demo loaded once for a class of read-only tests, and removed after them."""
    with django_db_blocker.unblock():
        output = run_demo()
    yield output
    with django_db_blocker.unblock():
        reset_demo()
        reset_sales_history()


def test_same_seed_same_plan():
    first = generate_demo(seed=7, accounts=ACCOUNTS, today=TODAY)
    second = generate_demo(seed=7, accounts=ACCOUNTS, today=TODAY)
    other = generate_demo(seed=8, accounts=ACCOUNTS, today=TODAY)
    assert first == second
    assert [a.name for a in first.accounts] != [a.name for a in other.accounts]


def test_plan_proportions_at_full_size():
    plan = generate_demo(accounts=300, today=TODAY)
    countries = [a.country for a in plan.accounts]
    for country, share in {"TH": 0.25, "VN": 0.25, "RS": 0.20, "PH": 0.20}.items():
        assert abs(countries.count(country) / 300 - share) <= 0.03
    statuses = [a.status for a in plan.accounts]
    assert statuses.count(AccountStatus.KEY) == 45
    assert statuses.count(AccountStatus.LOST) == 30
    people = sum(len(a.stakeholders) for a in plan.accounts) + len(plan.moves)
    assert 1200 <= people <= 1800
    owned = [a.owner for a in plan.accounts]
    assert 15 <= owned.count("kam1") <= 40
    assert 15 <= owned.count("kam2") <= 40
    assert len({a.name for a in plan.accounts}) == 300


@pytest.mark.django_db
def test_same_seed_loads_the_same_accounts_and_owners():
    run_demo(seed=5)
    first = names_and_owners()
    run_demo("--reset", seed=5)
    assert names_and_owners() == first


@pytest.mark.django_db
class TestLoadedDemo:
    def test_counts(self, demo):
        assert Account.objects.count() == ACCOUNTS
        assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
        people = Stakeholder.objects.count()
        assert 3 * ACCOUNTS <= people <= 8 * ACCOUNTS
        assert Position.objects.filter(ended_on=None).count() == people
        assert 50 <= Product.objects.count() <= 70
        assert Account.objects.exclude(external_id__regex=r"^C-\d{5}$").count() == 0
        assert "Logins" in demo and "kam1" in demo

    def test_each_user_works_in_the_language_of_their_country(self, demo):
        languages = dict(User.objects.values_list("username", "language"))
        assert languages["director"] == "en"
        assert (languages["kam1"], languages["kam2"], languages["kam3"]) == ("th", "sr-latn", "fil")
        assert languages["kam4"] == "vi"
        assert User.objects.get(username="kam1").buddhist_era
        assert "ไทย, Buddhist era" in demo and "Tiếng Việt" in demo

    def test_every_account_has_a_creation_entry(self, demo):
        created = ChangeLogEntry.objects.filter(
            action=ChangeAction.CREATE, content_type__model="account"
        ).values_list("object_id", flat=True)
        assert set(created) == set(Account.objects.values_list("pk", flat=True))

    def test_each_key_account_has_exactly_one_owner(self, demo):
        owners = (
            Account.objects.filter(status=AccountStatus.KEY)
            .annotate(owners=Count("team", filter=Q(team__role=TeamRole.OWNER)))
            .values_list("owners", flat=True)
        )
        assert owners and set(owners) == {1}

    def test_kam1_supports_an_account_of_kam2(self, demo):
        owned_by_kam2 = AccountTeamMember.objects.filter(
            role=TeamRole.OWNER, user__username="kam2"
        ).values("account")
        supported = AccountTeamMember.objects.filter(
            role=TeamRole.SUPPORT, user__username="kam1", account__in=owned_by_kam2
        )
        assert supported.exists()

    def test_groups_have_subsidiaries_abroad(self, demo):
        groups = Account.objects.filter(parent=None, subsidiaries__isnull=False).distinct()
        assert groups.count() >= 2
        for account in Account.objects.exclude(parent=None):
            depth, ancestor = 1, account.parent
            while ancestor is not None:
                depth, ancestor = depth + 1, ancestor.parent
            assert depth <= 3
        abroad = [
            group for group in groups if group.subsidiaries.exclude(country=group.country).exists()
        ]
        assert len(abroad) >= 2

    def test_org_charts_stay_inside_accounts_without_cycles(self, demo):
        bosses = dict(Stakeholder.objects.values_list("pk", "reports_to"))
        accounts = dict(Stakeholder.objects.values_list("pk", "account"))
        for person, boss in bosses.items():
            if boss is not None:
                assert accounts[boss] == accounts[person]
            seen = {person}
            while boss is not None:
                assert boss not in seen
                seen.add(boss)
                boss = bosses[boss]
        tops = Stakeholder.objects.filter(reports_to=None).values("account").annotate(n=Count("id"))
        assert {row["n"] for row in tops} == {1}

    def test_moved_stakeholders_have_a_closed_position_elsewhere(self, demo):
        closed = Position.objects.exclude(ended_on=None).exclude(account=F("stakeholder__account"))
        assert 5 <= closed.values("stakeholder").distinct().count() <= 10
        for position in closed:
            assert position.ended_on < timezone.localdate()
            assert position.stakeholder.positions.filter(ended_on=None).get().account_id == (
                position.stakeholder.account_id
            )

    def test_key_accounts_were_nominated_typed_and_rated(self, demo):
        key = Account.objects.filter(status=AccountStatus.KEY)
        for account in key:
            nomination = account.nomination_decisions.get(kind="nominate")
            owner = account.team.get(role=TeamRole.OWNER).user
            handover = account.handovers.first()
            first_owner = handover.from_owner if handover else owner
            assert nomination.owner == first_owner
            assert nomination.decided_by.username == "director"
            assert nomination.decided_on <= timezone.localdate()
            if handover:
                assert handover.to_owner == owner
                assert account.team.get(user=handover.from_owner).role == TeamRole.SUPPORT
                assert nomination.decided_on < handover.created_at.date()
            assert account.type_history.get().set_by == owner
            assert account.qualification_ratings.count() == 3
        assert not NominationDecision.objects.exclude(account__status__in=["key", "lost"]).exists()
        for account in Account.objects.filter(nomination_decisions__kind="denominate"):
            assert account.status == AccountStatus.LOST
        assert ProspectAssessment.objects.exclude(account__status="prospect").count() == 0
        assert ProspectAssessment.objects.exists()
        assert QualificationWeights.objects.get().set_by.username == "director"
        logged = ChangeLogEntry.objects.filter(content_type__model="nominationdecision")
        assert logged.count() == NominationDecision.objects.count()
        assert "nomination decisions" in demo

    def test_second_run_without_reset_changes_nothing(self, demo):
        before = (Account.objects.count(), Stakeholder.objects.count(), User.objects.count())
        output = run_demo()
        assert "already loaded" in output
        assert (
            Account.objects.count(),
            Stakeholder.objects.count(),
            User.objects.count(),
        ) == before


@pytest.mark.django_db
def test_reset_replaces_the_demo_and_keeps_other_superusers():
    run_demo(seed=1)
    User.objects.create_superuser("boss", password="x")
    User.objects.create_user("temp", password="x")
    old_names = set(Account.objects.values_list("name", flat=True))
    run_demo("--reset", seed=2, accounts=30)
    assert Account.objects.count() == 30
    assert set(Account.objects.values_list("name", flat=True)) != old_names
    assert User.objects.filter(username="boss").exists()
    assert not User.objects.filter(username="temp").exists()
    assert User.objects.filter(username__in=DEMO_USERNAMES).count() == len(DEMO_USERNAMES)


@pytest.mark.django_db
def test_existing_admin_superuser_is_kept():
    User.objects.create_superuser("admin", password="secret")
    output = run_demo()
    assert User.objects.get(username="admin").check_password("secret")
    assert "password unchanged" in output


@pytest.mark.django_db
def test_too_few_accounts_is_refused():
    with pytest.raises(CommandError):
        run_demo(accounts=5)


def rows_per_model() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model.__module__.startswith("openkam.")
    }


@pytest.mark.django_db
def test_demo_sales_history_is_imported_and_losses_are_noted_and_reset_removes_everything():
    from openkam.sales.models import BatchStatus, ImportBatch

    before = rows_per_model()  # what the migrations seed (activity kinds, roles …)
    output = run_demo(orders=20_000)
    batch = ImportBatch.objects.get(file_name="demo-orders.csv")
    assert batch.status == BatchStatus.COMMITTED
    assert (batch.rows_read, batch.imported, batch.rejected) == (20_000, 20_000, 0)
    assert batch.accounts_created == 0  # every line belongs to a demo account
    assert "20,000 order lines" in output
    lost = Account.objects.filter(environment_notes__contains="went to")
    assert lost.exists()
    assert all(a.status == "lost" for a in lost)
    # the lost accounts the come-back discount won back: their orders, a second small import
    comeback = ImportBatch.objects.get(file_name="demo-win-back-orders.csv")
    assert comeback.imported > 0 and comeback.rejected == 0 and comeback.accounts_created == 0
    reset_demo()
    reset_sales_history()
    left = {label: rows for label, rows in rows_per_model().items() if rows != before[label]}
    assert left == {}
