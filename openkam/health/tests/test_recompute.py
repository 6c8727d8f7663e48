import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.analytics.tests import facts
from openkam.health import services
from openkam.health.models import HealthScore, HealthWeights
from openkam.health.selectors import (
    account_health,
    account_history,
    biggest_risks,
    current_weights,
    latest_scores,
)
from openkam.health.signals import health_recomputed
from openkam.metrics.models import Snapshot
from openkam.metrics.services import snapshot_create
from openkam.metrics.signals import snapshot_done
from openkam.metrics.tests.conftest import publish

from .conftest import AS_OF, make_snapshot


def scores(snapshot) -> dict[int, HealthScore]:
    return {s.account_id: s for s in HealthScore.objects.filter(snapshot=snapshot)}


def test_recompute_stores_scores_and_levels(world, snapshot):
    result = services.health_recompute(snapshot)
    stored = scores(snapshot)
    assert world["shared"].pk not in stored  # nothing known: no score rather than a made-up one
    foreign = stored[world["foreign"].pk]
    # rhythm 0.5 (3), growth 0.5 (3), alive 0.6 (2) out of 8 weights → 52.5
    assert foreign.score == pytest.approx(52.5)
    assert foreign.level == "amber" and not foreign.rolled_up
    assert foreign.components["coverage"]["missing"] is True
    assert foreign.components["purchase_rhythm"]["contribution"] == pytest.approx(18.75)
    assert float(foreign.revenue) == 9000
    assert stored[world["own_sub"].pk].level == "red"
    assert result.accounts == 3 and result.rolled_up == 1
    assert result.levels == {"green": 1, "amber": 1, "red": 1}


def test_groups_roll_up_revenue_weighted(world, snapshot):
    services.health_recompute(snapshot)
    group = scores(snapshot)[world["own"].pk]
    # own alone: 98.75 (alive 0.95); own_sub: 5 (alive 0.2 × 2/8). Revenue 12,000 and 4,000
    assert group.rolled_up is True
    assert group.score == pytest.approx((12000 * 98.75 + 4000 * 5) / 16000, abs=0.01)
    assert float(group.revenue) == 16000
    rhythm = group.components["purchase_rhythm"]
    assert rhythm["score"] == pytest.approx(0.75) and rhythm["params"]["members"] == 2
    total = sum(p.get("contribution", 0) for p in group.components.values())
    assert total == pytest.approx(group.score, abs=0.05)


def test_recompute_replaces_the_snapshots_scores_and_uses_the_weights_in_force(
    world, snapshot, users
):
    services.health_recompute(snapshot)
    weights = services.health_weights_set(
        actor=users["director"],
        weights={"purchase_rhythm": 0, "revenue_growth": 1, "probability_alive": 0},
        green_from=80,
        amber_from=50,
        note="Growth only",
    )
    services.health_recompute(snapshot)
    assert HealthScore.objects.filter(snapshot=snapshot).count() == 3
    foreign = scores(snapshot)[world["foreign"].pk]
    assert foreign.score == pytest.approx(50) and foreign.level == "amber"
    assert foreign.weights == weights
    assert current_weights() == weights


def test_only_directors_set_weights_and_they_are_validated(users):
    with pytest.raises(PermissionDenied):
        services.health_weights_set(
            actor=users["kam1"], weights={"purchase_rhythm": 1}, green_from=70, amber_from=40
        )
    with pytest.raises(ValidationError):
        services.health_weights_set(
            actor=users["director"], weights={"purchase_rhythm": 1}, green_from=40, amber_from=70
        )
    with pytest.raises(ValueError, match="unknown"):
        services.health_weights_set(
            actor=users["director"], weights={"nope": 1}, green_from=70, amber_from=40
        )
    assert not HealthWeights.objects.exists()
    assert current_weights().pk is None and current_weights().as_dict()["purchase_rhythm"] == 3


def test_the_signal_is_sent_once_stored(world, snapshot, django_capture_on_commit_callbacks):
    seen = []

    def listen(sender, as_of, snapshot_id, **kwargs):
        seen.append(
            (as_of, snapshot_id, HealthScore.objects.filter(snapshot_id=snapshot_id).count())
        )

    health_recomputed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.health_recompute(snapshot)
    finally:
        health_recomputed.disconnect(listen)
    assert seen == [(AS_OF, snapshot.pk, 3)]


def test_a_finished_snapshot_enqueues_the_recompute(
    world, snapshot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        snapshot_done.send(sender=Snapshot, snapshot=snapshot)
    assert callbacks  # on commit, not before (other apps' receivers add theirs)
    assert not HealthScore.objects.filter(snapshot=snapshot).exists()
    for callback in callbacks:
        callback()  # the tasks run at once (KAM_TASKS=immediate in the tests)
    assert HealthScore.objects.filter(snapshot=snapshot).count() == 3


def test_an_analysis_ends_with_the_health_of_its_date(world, django_capture_on_commit_callbacks):
    lines = [facts.line(world["own"].pk, dt.date(2026, m, 5), 1000) for m in range(1, 7)]
    lines += [facts.line(world["foreign"].pk, dt.date(2025, m, 5), 3000) for m in (1, 4, 7, 10)]
    publish(lines)
    with django_capture_on_commit_callbacks(execute=True):
        snapshot = snapshot_create(as_of=AS_OF)
    stored = scores(snapshot)
    assert world["own"].pk in stored and world["foreign"].pk in stored
    assert stored[world["foreign"].pk].score < stored[world["own"].pk].score  # silent since 2025


def test_a_component_that_fails_is_left_out(world, snapshot, monkeypatch):
    from openkam.health import components

    def broken(ctx):
        raise RuntimeError("boom")

    original = components.component("tenders_lost")
    components.register(components.Component("tenders_lost", "T", 1.0, broken))
    try:
        result = services.health_recompute(snapshot)
    finally:
        components.register(original)
    assert "tenders_lost" in result.failed
    assert scores(snapshot)[world["foreign"].pk].components["tenders_lost"]["missing"] is True


def test_selectors(world, snapshot, users):
    services.health_recompute(snapshot)
    older = make_snapshot(
        dt.date(2026, 3, 31),
        accounts={world["foreign"].pk: {"days_since_purchase": 5, "median_interval": 30}},
    )
    services.health_recompute(older)
    assert {s.account_id for s in latest_scores(user=users["kam1"])} == {
        world["own"].pk,
        world["own_sub"].pk,
    }
    assert latest_scores(user=users["director"], as_of=dt.date(2026, 3, 31)).count() == 1
    assert not latest_scores(user=users["director"], as_of=dt.date(2020, 1, 1)).exists()
    assert account_health(account=world["foreign"]).as_of == AS_OF
    assert account_health(account=world["foreign"], as_of=dt.date(2026, 5, 1)).as_of == older.as_of
    history = account_history(account=world["foreign"])
    assert [h.as_of for h in history] == [older.as_of, AS_OF]
    assert history[0].score == 100
    risks = biggest_risks(user=users["director"])
    assert [r.account_id for r in risks] == [world["foreign"].pk, world["own_sub"].pk]


def test_recompute_command(world, snapshot, capsys):
    services.health_recompute_command(as_of=AS_OF)
    assert "3 accounts" in capsys.readouterr().out
    with pytest.raises(LookupError):
        services.health_recompute_dates(as_of=dt.date(2020, 1, 1))
    assert len(services.health_recompute_dates()) == 1
