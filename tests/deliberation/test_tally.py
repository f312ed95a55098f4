"""Every decision rule, at and around its thresholds, with ties and with nobody voting."""

from decimal import Decimal

from django.utils import translation

import pytest

from deliberation.models import PollKind, Rule
from deliberation.tally import (
    CHOSEN,
    PASSED,
    QUORUM_NOT_MET,
    REJECTED,
    TIE,
    CountedBallot,
    Electorate,
    decide,
    outcome_in_words,
    rule_in_words,
)

YES, NO, ABSTAIN = 1, 2, 3
CHOICES = [(YES, "同意"), (NO, "不同意"), (ABSTAIN, "弃权")]


def ballots(yes=0, no=0, abstain=0) -> list[CountedBallot]:
    return (
        [CountedBallot((YES,))] * yes
        + [CountedBallot((NO,))] * no
        + [CountedBallot((ABSTAIN,))] * abstain
    )


HUNDRED_VOTERS = Electorate(count=100)


def outcome(rule, votes, electorate=HUNDRED_VOTERS, quorum=50) -> str:
    return decide(rule, CHOICES, votes, electorate, quorum).outcome


@pytest.mark.parametrize(
    ("rule", "yes", "others", "expected"),
    [
        (Rule.SIMPLE_MAJORITY, 6, 4, PASSED),
        (Rule.SIMPLE_MAJORITY, 5, 5, REJECTED),  # a tie is not more than half
        (Rule.SIMPLE_MAJORITY, 1, 0, PASSED),
        (Rule.TWO_THIRDS, 2, 1, PASSED),  # exactly two thirds
        (Rule.TWO_THIRDS, 199, 101, REJECTED),  # 66.3%
        (Rule.THREE_QUARTERS, 3, 1, PASSED),  # exactly three quarters
        (Rule.THREE_QUARTERS, 74, 26, REJECTED),
        (Rule.THREE_QUARTERS, 75, 25, PASSED),
    ],
)
def test_share_rules_at_their_thresholds(rule, yes, others, expected):
    assert outcome(rule, ballots(yes=yes, no=others)) == expected


def test_abstentions_count_as_participants():
    # 5 yes out of 10 participants is not more than half, however many of the rest abstain.
    assert outcome(Rule.SIMPLE_MAJORITY, ballots(yes=5, no=1, abstain=4)) == REJECTED


@pytest.mark.parametrize("rule", [Rule.SIMPLE_MAJORITY, Rule.TWO_THIRDS, Rule.THREE_QUARTERS])
def test_nobody_voting_rejects(rule):
    result = decide(rule, CHOICES, [], Electorate(count=40))
    assert result.outcome == REJECTED
    assert result.as_dict()["turnout"] == 0


@pytest.mark.parametrize(
    ("voters", "expected"),
    [(49, QUORUM_NOT_MET), (50, PASSED), (0, QUORUM_NOT_MET)],
)
def test_turnout_quorum(voters, expected):
    votes = ballots(yes=voters)
    assert outcome(Rule.QUORUM_MAJORITY, votes, Electorate(count=100), quorum=50) == expected


def test_turnout_quorum_then_majority():
    assert outcome(Rule.QUORUM_MAJORITY, ballots(yes=30, no=30), Electorate(count=100)) == REJECTED


def test_weighted_ballots_decide_by_weight():
    votes = [
        CountedBallot((YES,), Decimal("120.5")),
        CountedBallot((NO,), Decimal("60")),
        CountedBallot((NO,), Decimal("60")),
    ]
    assert outcome(Rule.SIMPLE_MAJORITY, votes) == PASSED


# Civil Code art. 278 ------------------------------------------------------------------------------


def unit(choice, area, owner) -> CountedBallot:
    return CountedBallot((choice,), Decimal(area), owner)


# Nine units of 100 m² each, nine owners: 900 m² in all.
NINE_UNITS = Electorate(count=9, area=Decimal(900), owners=9)


def test_civil_code_needs_two_thirds_of_area_and_of_owners_to_take_part():
    five = [unit(YES, 100, f"o{n}") for n in range(5)]
    assert outcome(Rule.CIVIL_CODE_ORDINARY, five, NINE_UNITS) == QUORUM_NOT_MET
    six = [unit(YES, 100, f"o{n}") for n in range(6)]  # exactly two thirds of both
    assert outcome(Rule.CIVIL_CODE_ORDINARY, six, NINE_UNITS) == PASSED


def test_civil_code_participation_by_area_alone_is_not_enough():
    # Two owners hold 700 m² of 900 (over 2/3 of the area) but are 2 of 9 owners.
    electorate = Electorate(count=9, area=Decimal(900), owners=9)
    votes = [unit(YES, 400, "big1"), unit(YES, 300, "big2")]
    assert outcome(Rule.CIVIL_CODE_ORDINARY, votes, electorate) == QUORUM_NOT_MET


def test_civil_code_ordinary_needs_more_than_half_of_area_and_owners():
    votes = [unit(YES, 100, f"y{n}") for n in range(3)] + [unit(NO, 100, f"n{n}") for n in range(3)]
    assert outcome(Rule.CIVIL_CODE_ORDINARY, votes, NINE_UNITS) == REJECTED  # exactly half
    votes[-1] = unit(YES, 100, "n2")
    assert outcome(Rule.CIVIL_CODE_ORDINARY, votes, NINE_UNITS) == PASSED


def test_civil_code_major_needs_three_quarters_of_both():
    votes = [unit(YES, 100, f"y{n}") for n in range(6)] + [unit(NO, 100, f"n{n}") for n in range(2)]
    assert outcome(Rule.CIVIL_CODE_MAJOR, votes, NINE_UNITS) == PASSED  # exactly 3/4 of both
    votes[0] = unit(NO, 100, "y0")
    assert outcome(Rule.CIVIL_CODE_MAJOR, votes, NINE_UNITS) == REJECTED


def test_civil_code_area_majority_without_owner_majority_fails():
    # One owner with a large unit says yes; three small owners say no.
    electorate = Electorate(count=4, area=Decimal(400), owners=4)
    votes = [unit(YES, 250, "a"), unit(NO, 50, "b"), unit(NO, 50, "c"), unit(NO, 50, "d")]
    result = decide(Rule.CIVIL_CODE_ORDINARY, CHOICES, votes, electorate)
    assert result.outcome == REJECTED
    assert result.choices[0].weight == 250 and result.choices[0].owners == 1


def test_an_owner_of_several_units_counts_once_by_headcount():
    # "dev" (the developer's unsold units) holds three units and counts as one owner.
    electorate = Electorate(count=6, area=Decimal(600), owners=4)
    votes = [
        unit(YES, 100, "dev"),
        unit(YES, 100, "dev"),
        unit(YES, 100, "dev"),
        unit(NO, 100, "a"),
        unit(NO, 100, "b"),
    ]
    result = decide(Rule.CIVIL_CODE_ORDINARY, CHOICES, votes, electorate)
    assert result.owners == 3
    assert result.choices[0].owners == 1 and result.choices[1].owners == 2
    assert result.outcome == REJECTED  # 60% of the area, but 1 of 3 owners


def test_an_owner_split_across_units_counts_with_their_largest_unit():
    electorate = Electorate(count=3, area=Decimal(300), owners=2)
    votes = [unit(YES, 80, "x"), unit(NO, 120, "x"), unit(YES, 100, "y")]
    result = decide(Rule.CIVIL_CODE_ORDINARY, CHOICES, votes, electorate)
    assert result.choices[0].owners == 1 and result.choices[1].owners == 1


def test_counts_keep_online_and_paper_apart():
    votes = [CountedBallot((YES,), channel="online")] * 3 + [
        CountedBallot((NO,), channel="paper")
    ] * 2
    data = decide(Rule.SIMPLE_MAJORITY, CHOICES, votes, Electorate(count=10)).as_dict()
    assert data["participants"] == {"count": 5, "online": 3, "paper": 2, "area": 5.0, "owners": 0}
    assert data["turnout"] == 0.5
    assert data["choices"][0]["share"] == 0.6


def test_multiple_choice_ballots_count_each_choice():
    votes = [CountedBallot((YES, NO)), CountedBallot((YES,))]
    result = decide(Rule.SIMPLE_MAJORITY, CHOICES, votes, Electorate(count=5))
    assert [c.count for c in result.choices] == [2, 1, 0]


def test_the_civil_code_tests_are_in_the_result_exactly_at_their_boundaries():
    # 6 of 9 owners and 600 of 900 m² take part: exactly two thirds, which is 以上 — enough.
    # 3 agree, 3 do not: exactly half, which is not 过半数 — not passed.
    votes = [unit(YES, 100, f"y{n}") for n in range(3)] + [unit(NO, 100, f"n{n}") for n in range(3)]
    data = decide(Rule.CIVIL_CODE_ORDINARY, CHOICES, votes, NINE_UNITS).as_dict()
    assert data["outcome"] == REJECTED
    assert data["tests"] == [
        {"key": "owners_participation", "part": 6, "whole": 9, "threshold": "2/3",
         "strictly": False, "met": True},
        {"key": "area_participation", "part": 600.0, "whole": 900.0, "threshold": "2/3",
         "strictly": False, "met": True},
        {"key": "owners_agreement", "part": 3, "whole": 6, "threshold": "1/2",
         "strictly": True, "met": False},
        {"key": "area_agreement", "part": 300.0, "whole": 600.0, "threshold": "1/2",
         "strictly": True, "met": False},
    ]  # fmt: skip


def test_three_quarters_exactly_passes_a_major_matter_and_both_tests_say_so():
    votes = [unit(YES, 100, f"y{n}") for n in range(6)] + [unit(NO, 100, f"n{n}") for n in range(2)]
    data = decide(Rule.CIVIL_CODE_MAJOR, CHOICES, votes, NINE_UNITS).as_dict()
    agreement = {t["key"]: t for t in data["tests"] if t["key"].endswith("agreement")}
    assert data["outcome"] == PASSED
    assert (agreement["owners_agreement"]["part"], agreement["owners_agreement"]["whole"]) == (6, 8)
    assert all(t["threshold"] == "3/4" and not t["strictly"] for t in agreement.values())
    assert all(t["met"] for t in data["tests"])


def test_one_owner_short_of_two_thirds_fails_participation_whatever_the_agreement():
    five = [unit(YES, 100, f"o{n}") for n in range(5)]
    data = decide(Rule.CIVIL_CODE_ORDINARY, CHOICES, five, NINE_UNITS).as_dict()
    assert data["outcome"] == QUORUM_NOT_MET
    assert [t["met"] for t in data["tests"]] == [False, False, True, True]


def test_a_motion_names_no_winner_and_no_ranking():
    data = decide(Rule.SIMPLE_MAJORITY, CHOICES, ballots(yes=3), HUNDRED_VOTERS).as_dict()
    assert (data["kind"], data["winner"], data["ranking"], data["tied"]) == ("motion", None, [], [])
    assert "tests" not in data  # only a Civil Code motion has the four tests


# Choice and approval polls ------------------------------------------------------------------------

EAST, WEST, SOUTH = 11, 12, 13
PLACES = [(EAST, "东门"), (WEST, "西门"), (SOUTH, "南门")]


def choose(rule, votes, electorate=HUNDRED_VOTERS, quorum=50, kind=PollKind.CHOICE):
    return decide(rule, PLACES, votes, electorate, quorum, kind=kind).as_dict()


def picks(*choice_ids, weight=1) -> CountedBallot:
    return CountedBallot(tuple(choice_ids), Decimal(weight))


def test_a_choice_is_won_by_the_option_with_the_most_ballots():
    data = choose(Rule.MOST_VOTES, [picks(WEST)] * 3 + [picks(EAST)] * 2 + [picks(SOUTH)])
    assert data["outcome"] == CHOSEN
    assert data["winner"] == WEST
    assert data["ranking"] == [WEST, EAST, SOUTH]
    assert data["tied"] == []


def test_a_tie_at_the_top_is_a_tie_never_a_rejection():
    data = choose(Rule.MOST_VOTES, [picks(WEST)] * 2 + [picks(EAST)] * 2 + [picks(SOUTH)])
    assert data["outcome"] == TIE
    assert data["outcome"] != REJECTED
    assert data["winner"] is None
    assert data["tied"] == [EAST, WEST]  # in the editor's order
    with translation.override("zh-hans"):
        words = outcome_in_words(data)
    assert "未通过" not in words
    assert words == "票数相同（“东门”、“西门”），未能选出"


def test_a_weighted_choice_is_won_by_floor_area_not_by_headcount():
    # Two small flats (2 × 50 m²) want the east gate, one large flat (120 m²) the west gate.
    votes = [picks(EAST, weight=50), picks(EAST, weight=50), picks(WEST, weight=120)]
    data = choose(Rule.MOST_VOTES, votes)
    assert data["winner"] == WEST
    assert [c["count"] for c in data["choices"]] == [2, 1, 0]
    assert data["choices"][1]["share"] == pytest.approx(120 / 220)


def test_an_approval_poll_ranks_every_option_a_ballot_may_pick_two():
    votes = [picks(EAST, WEST), picks(WEST, SOUTH), picks(WEST), picks(SOUTH, EAST), picks(SOUTH)]
    data = choose(Rule.MOST_VOTES, votes, kind=PollKind.APPROVAL)
    assert [c["count"] for c in data["choices"]] == [2, 3, 3]
    assert data["ranking"] == [WEST, SOUTH, EAST]
    assert (data["outcome"], data["tied"]) == (TIE, [WEST, SOUTH])
    votes.append(picks(SOUTH, EAST))
    data = choose(Rule.MOST_VOTES, votes, kind=PollKind.APPROVAL)
    assert (data["outcome"], data["winner"], data["ranking"]) == (
        CHOSEN,
        SOUTH,
        [SOUTH, EAST, WEST],
    )
    assert data["choices"][2]["share"] == pytest.approx(4 / 6)  # of the ballots cast


@pytest.mark.parametrize(
    ("voters", "expected"), [(4, QUORUM_NOT_MET), (5, CHOSEN), (0, QUORUM_NOT_MET)]
)
def test_a_choice_with_a_turnout_quorum_first_needs_its_turnout(voters, expected):
    data = choose(Rule.MOST_VOTES_QUORUM, [picks(EAST)] * voters, Electorate(count=10), quorum=50)
    assert data["outcome"] == expected
    assert data["winner"] == (EAST if expected == CHOSEN else None)


def test_nobody_choosing_chooses_nothing_and_says_so():
    """Without a quorum rule, no ballots is not "too few took part": nobody voted."""
    data = choose(Rule.MOST_VOTES, [])
    assert (data["outcome"], data["winner"], data["tied"]) == ("none_chosen", None, [])
    assert outcome_in_words(data) == "无人投票，未选出"


def test_results_sealed_before_polls_had_kinds_still_read_as_motions():
    stored = {"outcome": "passed", "rule": "simple_majority", "choices": []}
    with translation.override("zh-hans"):
        assert outcome_in_words(stored) == "通过"
        assert outcome_in_words(None) == ""


def test_a_choice_rule_names_the_options_and_what_a_tie_means():
    with translation.override("zh-hans"):
        text = rule_in_words(Rule.MOST_VOTES_QUORUM, ["东门", "西门"], 40, max_choices=2)
    assert "“东门”、“西门”" in text and "40%" in text and "最多可选 2 项" in text
    assert "并列第一时不选出" in text


@pytest.mark.parametrize("rule", list(Rule))
def test_every_rule_reads_in_plain_chinese(rule):
    text = rule_in_words(rule, "同意", quorum_percent=60)
    assert "“同意”" in text
    assert "%(" not in text
    if rule in Rule.with_quorum():
        assert "60%" in text
