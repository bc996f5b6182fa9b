"""The contest scoring rules of DOMAIN.md §5 as pure functions."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.contests.rules import (
    AGGREGATIONS,
    DEFAULT_TIE_BREAK,
    PART_KINDS,
    PENALTY_KINDS,
    ROUNDING_MODES,
    TIE_BREAKS,
    EntryResult,
    EntryScores,
    PartRule,
    Rules,
    advancing,
    aggregate,
    assign_prizes,
    boundary_ties,
    compute_results,
    format_mark,
    mark_error,
    method_for,
    outliers,
    parse_mark,
    printed_total_ok,
    prize_boundaries,
    round_points,
    time_penalty,
)

D = Decimal
FAST = settings(max_examples=100, deadline=None)

INTRO, KNOWLEDGE, SITUATION, SKIT = 1, 2, 3, 4
PARTS = (
    PartRule(INTRO, "intro", D(10)),
    PartRule(KNOWLEDGE, "knowledge", D(10), scored_by="secretary"),
    PartRule(SITUATION, "situation", D(10)),
    PartRule(SKIT, "skit", D(10)),
)
JUDGED = (INTRO, SITUATION, SKIT)


def entry(entry_id, marks, secretary=None, panel=None, penalties=()):
    """EntryScores expecting `panel` judges on every judged part (default: as many as marked)."""
    expected = {part: panel if panel is not None else len(values) for part, values in marks.items()}
    return EntryScores(
        entry_id=entry_id,
        judge_marks={part: [D(m) for m in values] for part, values in marks.items()},
        expected_judges=expected,
        secretary_marks={part: D(v) for part, v in (secretary or {}).items()},
        penalties=[D(p) for p in penalties],
    )


def single(entry_id, marks, penalties=()):
    """An entry of a one-part round judged by len(marks) judges."""
    return entry(entry_id, {1: marks}, penalties=penalties)


ONE_PART = Rules(parts=[PartRule(1, "situation", D(10))], tie_break=())


def by_id(results):
    return {r.entry_id: r for r in results}


def ranks(results):
    return {r.entry_id: r.rank for r in results}


def test_labels_are_vietnamese_and_cover_the_tie_breaks():
    assert PART_KINDS["skit"] == "Tiểu phẩm"
    assert set(AGGREGATIONS) == {"auto", "mean", "trimmed", "median"}
    assert set(ROUNDING_MODES) == {"half_up", "half_even"}
    assert set(PENALTY_KINDS) == {"none", "per_minute", "tiered", "cutoff"}
    assert set(DEFAULT_TIE_BREAK) <= set(TIE_BREAKS)


# Aggregation


def test_method_follows_the_panel_size_when_auto():
    assert method_for("auto", 2) == "mean"
    assert method_for("auto", 4) == "mean"
    assert method_for("auto", 5) == "trimmed"
    assert method_for("auto", 7) == "trimmed"
    assert method_for("median", 5) == "median"
    assert method_for("mean", 7) == "mean"
    with pytest.raises(ValueError):
        method_for("sum", 3)


def test_aggregates_by_hand():
    assert aggregate([D(7), D(8)], "mean") == D("7.5")
    assert aggregate([D(8), D(8), D(9)], "mean") == D("8.33333333333333333333")
    # Five judges: 7 and 10 are dropped, the mean of 8, 8.5 and 9 is 8.5.
    assert aggregate([D(10), D(8), D(7), D("8.5"), D(9)], "trimmed") == D("8.5")
    assert aggregate([D(9), D(7)], "trimmed") == D(8)
    assert aggregate([D(9), D(1), D(8)], "median") == D(8)
    assert aggregate([D(9), D(1), D(8), D("7.5")], "median") == D("7.75")


def test_aggregate_refuses_no_marks_and_unknown_methods():
    with pytest.raises(ValueError):
        aggregate([], "mean")
    with pytest.raises(ValueError):
        aggregate([D(1)], "auto")


def test_half_up_rounding():
    assert round_points(D("8.125")) == D("8.13")
    assert round_points(D("8.124999")) == D("8.12")
    assert round_points(D("8.125"), mode="half_even") == D("8.12")
    assert round_points(D("8.135"), mode="half_even") == D("8.14")
    assert round_points(D("8.25"), places=1) == D("8.3")
    assert str(round_points(D(8))) == "8.00"
    with pytest.raises(ValueError):
        round_points(D(1), mode="down")


# Input of marks


@pytest.mark.parametrize(
    ("text", "value"),
    [("7,5", D("7.5")), ("7.5", D("7.5")), (" 8 ", D(8)), (",25", D("0.25")), ("-1", D(-1))],
)
def test_parse_mark_accepts_both_decimal_separators(text, value):
    assert parse_mark(text) == value


@pytest.mark.parametrize("text", ["", "   ", None])
def test_parse_mark_blank_is_no_mark(text):
    assert parse_mark(text) is None


@pytest.mark.parametrize(
    "text", ["abc", "1e3", "NaN", "Infinity", "-inf", "7,5,5", "1.234,5", "7 5", "٣", "0x10"]
)
def test_parse_mark_refuses_anything_else(text):
    with pytest.raises(ValueError, match=r"^Điểm phải là một số, ví dụ 7,5\.$"):
        parse_mark(text)


def test_mark_errors_in_vietnamese():
    ten, step = D(10), D("0.25")
    assert mark_error(D("7.5"), ten, step) is None
    assert mark_error(D(0), ten, step) is None
    assert mark_error(D(10), ten, step) is None
    assert mark_error(D("-0.25"), ten, step) == "Điểm không được nhỏ hơn 0."
    assert mark_error(D("10.25"), ten, step) == "Điểm tối đa là 10."
    assert mark_error(D(8), D("7.50"), step) == "Điểm tối đa là 7,5."
    assert mark_error(D("7.3"), ten, step) == "Điểm chấm theo bước 0,25."
    assert mark_error(D("7.25"), ten, D("0.50")) == "Điểm chấm theo bước 0,5."


def test_format_mark_drops_trailing_zeros():
    assert format_mark(D("10.00")) == "10"
    assert format_mark(D("7.50")) == "7,5"
    assert format_mark(D("1000")) == "1.000"
    assert format_mark(D("0.25")) == "0,25"


# Time penalties


def test_can_tho_tiered_penalty():
    intro = PartRule(
        1,
        "intro",
        D(10),
        time_limit_seconds=180,
        penalty_kind="tiered",
        penalty_tiers=((60, D("0.5")), (0, D("0.25"))),
    )
    assert time_penalty(intro, 170) == 0
    assert time_penalty(intro, 180) == 0
    assert time_penalty(intro, 181) == D("0.25")
    assert time_penalty(intro, 180 + 30) == D("0.25")
    assert time_penalty(intro, 180 + 59) == D("0.25")
    assert time_penalty(intro, 180 + 60) == D("0.5")
    assert time_penalty(intro, 180 + 75) == D("0.5")
    assert time_penalty(intro, None) == 0


def test_vinh_phuc_penalty_per_full_minute():
    intro = PartRule(
        1,
        "intro",
        D(10),
        time_limit_seconds=300,
        penalty_kind="per_minute",
        penalty_points=D(1),
    )
    assert time_penalty(intro, 300 + 59) == 0
    assert time_penalty(intro, 300 + 60) == 1
    assert time_penalty(intro, 300 + 119) == 1
    assert time_penalty(intro, 300 + 120) == 2


def test_no_penalty_without_a_limit_or_when_speech_is_cut_off():
    cutoff = PartRule(3, "situation", D(10), time_limit_seconds=300, penalty_kind="cutoff")
    unlimited = PartRule(3, "situation", D(10), penalty_kind="per_minute", penalty_points=D(1))
    lenient = PartRule(3, "situation", D(10), time_limit_seconds=300)
    assert time_penalty(cutoff, 500) == 0
    assert time_penalty(unlimited, 5000) == 0
    assert time_penalty(lenient, 500) == 0


# Outliers


def test_outlier_more_than_20_percent_of_the_maximum_from_the_median():
    marks = {11: D(8), 12: D(8), 13: D(8), 14: D("5.5"), 15: D(10)}
    # The median is 8; 20 % of 10 is 2: 5.5 is 2.5 away (flagged), 10 is 2.0 away (not).
    assert outliers(marks, D(10), D(20)) == {14}
    assert outliers({1: D(0), 2: D(10)}, D(10), D(20)) == set()


# Results and ranks


def test_a_part_result_is_the_rounded_aggregate_and_the_total_adds_rounded_parts():
    rules = Rules(parts=[PartRule(1, "intro", D(10)), PartRule(2, "skit", D(10))])
    (result,) = compute_results(rules, [entry(7, {1: ["8", "8.25"], 2: ["7", "7.25"]})])
    assert result.parts == {1: D("8.13"), 2: D("7.13")}
    assert result.total == D("15.26")  # not the rounded sum of 8.125 + 7.125
    assert result.raw_sum == D("30.5")
    assert result.complete and result.rank == 1
    assert printed_total_ok(result)


def test_penalties_are_subtracted_from_the_total():
    rules = Rules(parts=PARTS)
    scores = entry(
        1,
        {INTRO: ["8", "9"], SITUATION: ["7", "7"], SKIT: ["9", "9"]},
        secretary={KNOWLEDGE: "6.5"},
        penalties=["0.25", "0.5"],
    )
    (result,) = compute_results(rules, [scores])
    assert result.parts == {INTRO: D("8.5"), KNOWLEDGE: D("6.5"), SITUATION: D(7), SKIT: D(9)}
    assert result.penalty == D("0.75")
    assert result.total == D("30.25")
    assert result.raw_sum == D("55.5")
    assert result.tie_keys == (D(9), D(7), D("6.5"), D("55.5"), D("0.75"))


def test_a_panel_of_five_uses_the_trimmed_mean():
    rules = Rules(parts=[PartRule(1, "skit", D(10))])
    (result,) = compute_results(rules, [single(1, ["10", "8", "7", "8.5", "9"])])
    assert result.parts == {1: D("8.50")}
    assert result.raw_sum == D("42.5")


def test_competition_ranking_1_2_2_4():
    entries = [single(1, ["9"]), single(2, ["8"]), single(3, ["8"]), single(4, ["7"])]
    assert ranks(compute_results(ONE_PART, entries)) == {1: 1, 2: 2, 3: 2, 4: 4}


def test_tie_broken_by_skit_then_knowledge():
    rules = Rules(parts=PARTS, tie_break=("skit", "knowledge"))
    same = {"secretary": {KNOWLEDGE: "8"}}
    entries = [
        # Entries 1 and 2: total 32; 2 has the higher skit.
        entry(1, {INTRO: ["8"], SITUATION: ["8"], SKIT: ["8"]}, **same),
        entry(2, {INTRO: ["7"], SITUATION: ["8"], SKIT: ["9"]}, **same),
        # Entries 3 and 4: total 31 with the same skit; 4 has the higher knowledge.
        entry(3, {INTRO: ["8"], SITUATION: ["8"], SKIT: ["7"]}, secretary={KNOWLEDGE: "8"}),
        entry(4, {INTRO: ["7"], SITUATION: ["8"], SKIT: ["7"]}, secretary={KNOWLEDGE: "9"}),
    ]
    results = compute_results(rules, entries)
    assert [r.entry_id for r in results] == [2, 1, 4, 3]
    assert [r.rank for r in results] == [1, 2, 3, 4]
    assert by_id(results)[2].tie_keys == (D(9), D(8))


def test_tie_broken_by_the_untrimmed_sum():
    rules = Rules(parts=[PartRule(1, "skit", D(10))], tie_break=("raw_sum",))
    # The same trimmed mean (8) but entry 2's dropped marks are higher.
    entries = [single(1, ["8", "8", "8", "6", "9"]), single(2, ["8", "8", "8", "7", "10"])]
    results = compute_results(rules, entries)
    assert [(r.entry_id, r.rank, r.total) for r in results] == [(2, 1, D(8)), (1, 2, D(8))]


def test_tie_broken_by_fewer_penalty_points():
    rules = Rules(parts=[PartRule(1, "skit", D(10))], tie_break=("penalties",))
    entries = [single(1, ["8"], penalties=["0.5"]), single(2, ["7.5"])]
    results = compute_results(rules, entries)
    assert [(r.entry_id, r.rank) for r in results] == [(2, 1), (1, 2)]
    assert results[0].total == results[1].total == D("7.5")


def test_entries_equal_on_every_key_share_the_rank():
    entries = [
        entry(i, {p: ["8", "9"] for p in JUDGED}, secretary={KNOWLEDGE: "7"}) for i in (5, 6)
    ]
    assert ranks(compute_results(Rules(parts=PARTS), entries)) == {5: 1, 6: 1}


def test_a_board_decision_orders_a_tie():
    entries = [single(1, ["9"]), single(10, ["8"]), single(11, ["8"]), single(4, ["7"])]
    rules = Rules(parts=ONE_PART.parts, tie_break=(), decisions=[[11, 10]])
    results = compute_results(rules, entries)
    assert [(r.entry_id, r.rank) for r in results] == [(1, 1), (11, 2), (10, 3), (4, 4)]


def test_a_decision_that_does_not_match_a_tied_group_is_ignored():
    entries = [single(1, ["8"]), single(2, ["8"]), single(3, ["8"]), single(4, ["7"])]
    for decisions in ([[2, 1]], [[3, 4]], [[1, 4]], [[9, 8]], [[1, 1]]):
        rules = Rules(parts=ONE_PART.parts, tie_break=(), decisions=decisions)
        assert ranks(compute_results(rules, entries)) == {1: 1, 2: 1, 3: 1, 4: 4}
    rules = Rules(parts=ONE_PART.parts, tie_break=(), decisions=[[3, 1, 2]])
    assert ranks(compute_results(rules, entries)) == {3: 1, 1: 2, 2: 3, 4: 4}


def test_a_missing_mark_is_never_a_zero():
    rules = Rules(parts=PARTS)
    full = {INTRO: ["8", "8", "8"], SITUATION: ["8", "8", "8"], SKIT: ["8", "8", "8"]}
    short = {**full, SKIT: ["8", "8"]}
    entries = [
        entry(3, short, secretary={KNOWLEDGE: "8"}, panel=3),
        entry(2, full, secretary={}, panel=3),
        entry(1, full, secretary={KNOWLEDGE: "1"}, panel=3),
    ]
    results = compute_results(rules, entries)
    assert [r.entry_id for r in results] == [1, 2, 3]
    done, no_knowledge, missing_judge = results
    assert done.rank == 1 and done.total == D(25)
    assert no_knowledge.parts[KNOWLEDGE] is None and no_knowledge.rank is None
    assert missing_judge.parts[SKIT] is None and missing_judge.parts[INTRO] == D(8)
    assert missing_judge.total is None and missing_judge.rank is None
    assert not missing_judge.complete and not printed_total_ok(missing_judge)


def test_a_part_without_expected_judges_is_not_final():
    scores = EntryScores(1, judge_marks={1: []}, expected_judges={}, secretary_marks={})
    (result,) = compute_results(ONE_PART, [scores])
    assert result.parts == {1: None} and result.rank is None


def test_printed_total_check_catches_a_wrong_total():
    (result,) = compute_results(ONE_PART, [single(1, ["8"], penalties=["0.25"])])
    assert printed_total_ok(result)
    wrong = EntryResult(1, result.parts, result.penalty, D(8), True, 1, result.raw_sum, ())
    assert not printed_total_ok(wrong)


# Prizes, boundaries, advancing


def ranked(rank_by_entry):
    """EntryResults with the given ranks (None: incomplete)."""
    return [
        EntryResult(e, {}, D(0), None if r is None else D(0), r is not None, r, D(0), ())
        for e, r in rank_by_entry.items()
    ]


# Ranks 1, 2, 2, 4, 5, 5, 5, 8 and one incomplete entry.
FIELD = ranked({1: 1, 2: 2, 3: 2, 4: 4, 5: 5, 6: 5, 7: 5, 8: 8, 9: None})


def test_prize_boundaries_are_cumulative():
    assert prize_boundaries([1, 2, 3, 4]) == [1, 3, 6, 10]
    assert prize_boundaries([1, 0, 2]) == [1, 3]
    assert prize_boundaries([]) == []


def test_boundary_ties_on_prize_cut_offs():
    # Nhất 1, Nhì 2, Ba 3: cut-offs after 1, 3 and 6; ranks 5-7 straddle the cut after 6.
    assert boundary_ties(FIELD, prize_boundaries([1, 2, 3])) == [(6, [5, 6, 7])]
    # The two entries sharing rank 2 sit exactly inside ranks 2-3 of the Nhì prize.
    assert boundary_ties(FIELD, [3]) == []
    # Advancing 2 splits them.
    assert boundary_ties(FIELD, [2]) == [(2, [2, 3])]
    # One item for a group that straddles several cut-offs: the first one.
    assert boundary_ties(ranked({1: 1, 2: 1, 3: 1, 4: 1}), [2, 1]) == [(1, [1, 2, 3, 4])]


def test_assign_prizes_with_a_1_2_3_table():
    awarded = assign_prizes(FIELD, [(101, 1), (102, 2), (103, 3)])
    # Ranks 5, 5, 5 all get the third prize although that is 4 of them: publishing is blocked.
    assert awarded == {1: 101, 2: 102, 3: 102, 4: 103, 5: 103, 6: 103, 7: 103}


def test_a_prize_with_no_places_is_skipped():
    # No second prize: the two entries sharing rank 2 get the next prize.
    assert assign_prizes(FIELD, [(101, 1), (102, 0), (103, 1)]) == {1: 101, 2: 103, 3: 103}


def test_advancing_in_rank_order():
    assert advancing(FIELD, 3) == [1, 2, 3]
    assert advancing(list(reversed(FIELD)), 4) == [1, 2, 3, 4]
    assert advancing(FIELD, 0) == []


# Properties

marks = st.decimals(min_value=0, max_value=10, places=2)
small_shifts = st.decimals(min_value=0, max_value=5, places=2)


@st.composite
def contests(draw, max_entries=8):
    """Rules and entries of a round with a fixed panel; some marks may be missing."""
    panel = draw(st.integers(1, 7))
    aggregation = draw(st.sampled_from(sorted(AGGREGATIONS)))
    tie_break = draw(st.permutations((*DEFAULT_TIE_BREAK, "intro")))
    rules = Rules(parts=PARTS, aggregation=aggregation, tie_break=tuple(tie_break))
    entries = []
    for entry_id in range(1, draw(st.integers(1, max_entries)) + 1):
        if entries and draw(st.integers(0, 3)) == 0:  # an exact copy of an earlier entry: a tie
            twin = draw(st.sampled_from(entries))
            entries.append(
                EntryScores(
                    entry_id,
                    twin.judge_marks,
                    twin.expected_judges,
                    twin.secretary_marks,
                    twin.penalties,
                )
            )
            continue
        judged = {}
        for part in JUDGED:
            # Few distinct values so that ties happen.
            values = draw(
                st.lists(
                    st.sampled_from(["7", "7.5", "8", "8.25", "9"]), min_size=panel, max_size=panel
                )
            )
            if draw(st.integers(0, 9)) == 0:
                values = values[:-1]
            judged[part] = [D(v) for v in values]
        knowledge = draw(st.one_of(st.none(), st.sampled_from(["6", "8", "9.5"])))
        secretary = {} if knowledge is None else {KNOWLEDGE: D(knowledge)}
        penalties = draw(st.lists(st.sampled_from([D("0.25"), D("0.5"), D(1)]), max_size=2))
        entries.append(
            EntryScores(entry_id, judged, dict.fromkeys(JUDGED, panel), secretary, penalties)
        )
    return rules, entries


@FAST
@given(st.lists(marks, min_size=1, max_size=9))
def test_every_aggregate_lies_between_min_and_max(values):
    for method in ("mean", "trimmed", "median"):
        assert min(values) <= aggregate(values, method) <= max(values)


@FAST
@given(
    st.lists(marks, min_size=1, max_size=9),
    small_shifts,
    st.sampled_from(["mean", "trimmed", "median"]),
)
def test_shifting_every_mark_shifts_the_aggregate_exactly(values, shift, method):
    shifted = [v + shift for v in values]
    assert aggregate(shifted, method) == aggregate(values, method) + shift


@FAST
@given(contests(), st.data())
def test_results_do_not_depend_on_the_order_of_entries_or_marks(contest, data):
    rules, entries = contest
    shuffled = [
        EntryScores(
            e.entry_id,
            {p: data.draw(st.permutations(m)) for p, m in e.judge_marks.items()},
            e.expected_judges,
            e.secretary_marks,
            data.draw(st.permutations(e.penalties)),
        )
        for e in data.draw(st.permutations(entries))
    ]
    assert compute_results(rules, shuffled) == compute_results(rules, entries)


@FAST
@given(contests(), small_shifts)
def test_shifting_every_judge_mark_shifts_totals_and_keeps_the_ranking(contest, shift):
    rules, entries = contest
    shifted = [
        EntryScores(
            e.entry_id,
            {p: [m + shift for m in ms] for p, ms in e.judge_marks.items()},
            e.expected_judges,
            e.secretary_marks,
            e.penalties,
        )
        for e in entries
    ]
    before, after = compute_results(rules, entries), compute_results(rules, shifted)
    assert [(r.entry_id, r.rank) for r in after] == [(r.entry_id, r.rank) for r in before]
    for old, new in zip(before, after, strict=True):
        assert new.complete == old.complete
        if old.complete:
            assert new.total == old.total + shift * len(JUDGED)


@FAST
@given(contests())
def test_printed_parts_add_up_and_ranks_follow_the_printed_totals(contest):
    rules, entries = contest
    results = compute_results(rules, entries)
    complete = [r for r in results if r.complete]
    assert all(printed_total_ok(r) for r in complete)
    assert all(r.rank is None and r.total is None for r in results if not r.complete)
    assert results[: len(complete)] == complete
    assert [r.rank for r in complete] == sorted(r.rank for r in complete)
    for better, worse in itertools.pairwise(complete):
        assert better.total >= worse.total
        if better.total > worse.total:
            assert better.rank < worse.rank
    for position, result in enumerate(complete, start=1):
        assert result.rank <= position


@FAST
@given(contests(max_entries=5), st.data())
def test_removing_a_mark_makes_the_entry_incomplete(contest, data):
    rules, entries = contest
    victim = data.draw(st.sampled_from(entries))
    part = data.draw(st.sampled_from(JUDGED))
    marks = victim.judge_marks[part]
    if not marks:
        return
    removed = EntryScores(
        victim.entry_id,
        {**victim.judge_marks, part: marks[:-1]},
        victim.expected_judges,
        victim.secretary_marks,
        victim.penalties,
    )
    others = [e for e in entries if e is not victim]
    result = by_id(compute_results(rules, [*others, removed]))[victim.entry_id]
    assert result.parts[part] is None
    assert not result.complete and result.rank is None and result.total is None


@FAST
@given(contests(), st.lists(st.integers(0, 3), max_size=4))
def test_without_boundary_ties_each_prize_has_exactly_its_count(contest, counts):
    rules, entries = contest
    results = compute_results(rules, entries)
    cuts = prize_boundaries(counts)
    if boundary_ties(results, cuts) or sum(r.complete for r in results) < sum(counts):
        return
    awarded = assign_prizes(results, list(enumerate(counts)))
    for prize, count in enumerate(counts):
        assert list(awarded.values()).count(prize) == count


@FAST
@given(contests())
def test_board_decisions_split_every_tie_and_touch_nothing_else(contest):
    rules, entries = contest
    before = ranks(compute_results(rules, entries))
    groups = {}
    for entry_id, rank in before.items():
        if rank is not None:
            groups.setdefault(rank, []).append(entry_id)
    decisions = [sorted(ids, reverse=True) for ids in groups.values() if len(ids) > 1]
    decided = Rules(rules.parts, rules.aggregation, tie_break=rules.tie_break, decisions=decisions)
    after = ranks(compute_results(decided, entries))
    assert after.keys() == before.keys()
    for decision in decisions:
        first = before[decision[0]]
        assert [after[e] for e in decision] == list(range(first, first + len(decision)))
    untouched = {e for e, r in before.items() if r is None or len(groups[r]) == 1}
    assert all(after[e] == before[e] for e in untouched)
