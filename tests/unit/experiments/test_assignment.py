"""Assignment is sticky, weighted, independent across experiments, and honours targeting."""

from __future__ import annotations

from collections import Counter

from scipy import stats

from experiments.assignment import assign
from tests.unit.experiments.conftest import definition

USERS = [f"usr_{i:06d}" for i in range(100_000)]


def test_sticky_and_pure():
    d = definition()
    first = [assign(d, u).arm for u in USERS[:2000]]
    again = [assign(definition(), u).arm for u in USERS[:2000]]  # a "restart": a new object
    assert first == again


def test_fifty_fifty_within_half_a_percent_over_100k_users():
    d = definition()
    counts = Counter(assign(d, u).arm for u in USERS)
    assert abs(counts["A"] / len(USERS) - 0.5) < 0.005
    assert stats.chisquare([counts["A"], counts["B"]]).pvalue > 0.001


def test_weights_hold_by_chi_square():
    d = definition(
        arms=[{"name": "A", "weight": 20}, {"name": "B", "weight": 30}, {"name": "C", "weight": 50}]
    )
    counts = Counter(assign(d, u).arm for u in USERS[:30_000])
    observed = [counts["A"], counts["B"], counts["C"]]
    expected = [6000, 9000, 15000]
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_independent_across_experiments():
    a, b = definition(), definition(key="offer_order")
    pairs = Counter((assign(a, u).arm, assign(b, u).arm) for u in USERS[:20_000])
    table = [[pairs[("A", "A")], pairs[("A", "B")]], [pairs[("B", "A")], pairs[("B", "B")]]]
    assert stats.chi2_contingency(table).pvalue > 0.001


def test_a_new_version_reshuffles_unless_salted():
    v1, v2 = definition(), definition(version=2)
    same = sum(assign(v1, u).arm == assign(v2, u).arm for u in USERS[:4000])
    assert 0.45 < same / 4000 < 0.55
    s1, s2 = definition(salt="fixed"), definition(version=2, salt="fixed")
    assert all(assign(s1, u).arm == assign(s2, u).arm for u in USERS[:1000])


def test_holdout_gets_control_and_is_not_in_the_experiment():
    d = definition(holdout=0.2)
    got = [assign(d, u) for u in USERS[:20_000]]
    held = [g for g in got if g.reason == "holdout"]
    assert abs(len(held) / len(got) - 0.2) < 0.01
    assert all(g.arm == "A" and not g.in_experiment for g in held)


def test_targeting_condition_on_attributes():
    d = definition(targeting={"role": "applicant"})
    assert assign(d, "u1", {"role": "staff"}).reason == "not_targeted"
    assert assign(d, "u1", {"role": "applicant"}).in_experiment


def test_not_running_means_control():
    got = assign(definition(status="stopped"), "u1")
    assert (got.arm, got.in_experiment, got.reason) == ("A", False, "not_running")
