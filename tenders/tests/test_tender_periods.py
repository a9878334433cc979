"""The legal periods of a tender's timeline, each rule at its boundary with its Dutch message:
35 / 30 / 15 days for bids (the day after the dispatch is day 1), answers 6 days before the
bid deadline, the 20-day standstill, the order of the moments and deadlines on a day off."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from tenders.models import Tender
from tenders.selectors.periods import day_off, tender_period_blocking, tender_period_problems

AMS = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=12, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


def tender(**changes) -> Tender:
    """A draft tender (not saved) whose timeline meets every rule; ``changes`` break one."""
    values = {
        "electronic_submission": True,
        "prior_information_notice_at": None,
        "publication_at": at(2027, 3, 2, 10),  # Tuesday
        "question_deadline_at": at(2027, 3, 16, 17),
        "answers_at": at(2027, 3, 23, 17),
        "bid_deadline_at": at(2027, 4, 6, 12),  # day 35
        "opening_at": at(2027, 4, 6, 14),
        "award_decision_at": at(2027, 6, 2, 10),  # Wednesday
        "standstill_end_at": at(2027, 6, 22, 23, 59),  # day 20
        "contract_start": date(2027, 7, 1),
    }
    values.update(changes)
    return Tender(**values)


def problems(t: Tender, rule: str) -> list:
    return [p for p in tender_period_problems(t) if p.rule == rule]


def messages(t: Tender, rule: str) -> list[str]:
    return [p.message for p in problems(t, rule)]


def test_a_timeline_that_meets_every_rule_has_no_problems():
    assert tender_period_problems(tender()) == []


def test_every_missing_moment_blocks_publication():
    found = tender_period_problems(Tender())
    assert [p.field for p in found] == [
        "publication_at",
        "question_deadline_at",
        "answers_at",
        "bid_deadline_at",
        "opening_at",
        "award_decision_at",
        "standstill_end_at",
        "contract_start",
    ]
    assert all(p.blocking and p.rule == "missing" for p in found)
    assert found[0].message == (
        "Vul “Verzending van de aankondiging” in: de aanbesteding wordt gepubliceerd met de "
        "hele tijdlijn."
    )


# --- Minimum period for bids (2014/24/EU art. 27) --------------------------------------------


def test_35_days_without_electronic_submission_pass_and_34_fail():
    # Dispatch on Tuesday 2 March 2027: day 1 is 3 March, day 35 is Tuesday 6 April.
    assert problems(tender(electronic_submission=False), "bid_period") == []
    late = tender(electronic_submission=False, bid_deadline_at=at(2027, 4, 5, 23, 59))
    (problem,) = problems(late, "bid_period")
    assert problem.blocking and problem.field == "bid_deadline_at"
    assert problem.article == "Richtlijn 2014/24/EU, artikel 27 lid 1"
    assert problem.message == (
        "De uiterste datum voor inschrijvingen (maandag 5 april 2027) is te vroeg: er geldt een "
        "termijn van minstens 35 dagen na de verzending van de aankondiging op dinsdag 2 maart "
        "2027, omdat de inschrijvingen niet elektronisch worden ingediend (Richtlijn 2014/24/EU, "
        "artikel 27 lid 1). De termijn begint op de dag na de verzending; de uiterste datum voor "
        "inschrijvingen valt op dinsdag 6 april 2027 of later."
    )


def test_the_deadline_time_on_the_last_day_does_not_matter():
    """The deadline's calendar day counts in Dutch time: 00:30 on day 35 meets the period,
    23:59 on day 34 does not."""
    early_on_the_day = tender(electronic_submission=False, bid_deadline_at=at(2027, 4, 6, 0, 30))
    assert problems(early_on_the_day, "bid_period") == []


def test_30_days_with_electronic_submission_pass_and_29_fail():
    # Day 30 after Tuesday 2 March 2027 is Thursday 1 April.
    assert problems(tender(bid_deadline_at=at(2027, 4, 1, 12), opening_at=None), "bid_period") == []
    late = tender(bid_deadline_at=at(2027, 3, 31, 12))
    (problem,) = problems(late, "bid_period")
    assert problem.article == "Richtlijn 2014/24/EU, artikel 27 lid 4"
    assert (
        "minstens 30 dagen na de verzending van de aankondiging op dinsdag 2 maart 2027, omdat "
        "de inschrijvingen elektronisch worden ingediend" in problem.message
    )
    assert "valt op donderdag 1 april 2027 of later" in problem.message


def test_15_days_after_a_prior_information_notice_pass_and_14_fail():
    pin = date(2026, 10, 1)
    ok = tender(
        prior_information_notice_at=pin, bid_deadline_at=at(2027, 3, 17, 12), opening_at=None
    )
    assert problems(ok, "bid_period") == [] and problems(ok, "prior_information") == []
    late = tender(prior_information_notice_at=pin, bid_deadline_at=at(2027, 3, 16, 17))
    (problem,) = problems(late, "bid_period")
    assert problem.article == "Richtlijn 2014/24/EU, artikel 27 lid 2"
    assert (
        "minstens 15 dagen na de verzending van de aankondiging op dinsdag 2 maart 2027, omdat "
        "er op donderdag 1 oktober 2026 een vooraankondiging is gepubliceerd (Richtlijn "
        "2014/24/EU, artikel 27 lid 2)" in problem.message
    )
    assert "valt op woensdag 17 maart 2027 of later" in problem.message


@pytest.mark.parametrize(
    ("pin", "counts"),
    [
        (date(2027, 1, 26), True),  # 35 days before the dispatch on 2 March 2027
        (date(2027, 1, 27), False),  # 34 days
        (date(2026, 3, 2), True),  # 12 months
        (date(2026, 3, 1), False),  # 12 months and a day
    ],
)
def test_a_prior_information_notice_counts_from_35_days_to_12_months(pin, counts):
    t = tender(prior_information_notice_at=pin, bid_deadline_at=at(2027, 3, 17, 12))
    assert (problems(t, "bid_period") == []) is counts
    warnings = problems(t, "prior_information")
    assert bool(warnings) is not counts
    if warnings:
        assert not warnings[0].blocking
        day = "woensdag 27 januari 2027" if pin.year == 2027 else "zondag 1 maart 2026"
        assert warnings[0].message.startswith(
            f"De vooraankondiging van {day} "
            "verkort de termijn voor inschrijvingen niet tot 15 dagen: die moet minstens 35 dagen "
            "en hoogstens 12 maanden vóór de verzending van de aankondiging (dinsdag 2 maart 2027) "
            "zijn verzonden (Richtlijn 2014/24/EU, artikel 27 lid 2)."
        )
        assert "minstens 30 dagen" in problems(t, "bid_period")[0].message


def test_a_period_ending_on_a_weekend_runs_until_the_next_working_day():
    """Regulation 1182/71 art. 3(4): day 30 after Thursday 1 April 2027 is Saturday 1 May, so
    the period ends on Monday 3 May."""
    base = {"publication_at": at(2027, 4, 1, 10), "question_deadline_at": at(2027, 4, 15)}
    base |= {"answers_at": at(2027, 4, 20), "opening_at": None}
    assert problems(tender(**base, bid_deadline_at=at(2027, 5, 3, 12)), "bid_period") == []
    (problem,) = problems(tender(**base, bid_deadline_at=at(2027, 5, 1, 12)), "bid_period")
    assert "valt op maandag 3 mei 2027 of later" in problem.message
    assert problem.message.endswith(
        "Dag 30 valt op een zaterdag; de termijn loopt daarom door tot de volgende werkdag "
        "(Verordening (EEG, Euratom) nr. 1182/71, artikel 3 lid 4)."
    )


def test_a_bid_deadline_on_kings_day_at_the_end_of_the_period_is_too_early():
    """Day 30 after Sunday 28 March 2027 is Tuesday 27 April, King's Day: the period runs
    until Wednesday 28 April, and the deadline on King's Day is also flagged."""
    t = tender(
        publication_at=at(2027, 3, 28, 10),
        question_deadline_at=at(2027, 4, 12),
        answers_at=at(2027, 4, 19),
        bid_deadline_at=at(2027, 4, 27, 12),
        opening_at=None,
    )
    (problem,) = problems(t, "bid_period")
    assert problem.message.endswith(
        "Dag 30 valt op Koningsdag; de termijn loopt daarom door tot de volgende werkdag "
        "(Verordening (EEG, Euratom) nr. 1182/71, artikel 3 lid 4)."
    )
    (warning,) = problems(t, "day_off")
    assert not warning.blocking and warning.field == "bid_deadline_at"
    assert warning.message == (
        "“Uiterste datum voor inschrijvingen” valt op Koningsdag (dinsdag 27 april 2027): kies "
        "een werkdag. Een termijn die op een zaterdag, zondag of feestdag eindigt, loopt door "
        "tot de volgende werkdag (Verordening (EEG, Euratom) nr. 1182/71, artikel 3 lid 4)."
    )
    moved = tender(
        publication_at=at(2027, 3, 28, 10),
        question_deadline_at=at(2027, 4, 12),
        answers_at=at(2027, 4, 19),
        bid_deadline_at=at(2027, 4, 28, 12),
        opening_at=None,
    )
    assert problems(moved, "bid_period") == [] and problems(moved, "day_off") == []


# --- Answers to questions (2014/24/EU art. 47(3)(a)) ------------------------------------------


def test_answers_6_days_before_the_bid_deadline_pass_and_5_fail():
    base = {"bid_deadline_at": at(2027, 4, 13, 12), "opening_at": None}  # Tuesday
    assert problems(tender(**base, answers_at=at(2027, 4, 7, 17)), "answers") == []
    (problem,) = problems(tender(**base, answers_at=at(2027, 4, 8, 9)), "answers")
    assert problem.blocking and problem.field == "answers_at"
    assert problem.article == "Richtlijn 2014/24/EU, artikel 47 lid 3 onder a"
    assert problem.message == (
        "De antwoorden op vragen (donderdag 8 april 2027) komen minder dan 6 dagen vóór de "
        "uiterste datum voor inschrijvingen (dinsdag 13 april 2027) (Richtlijn 2014/24/EU, "
        "artikel 47 lid 3 onder a). Publiceer ze uiterlijk op woensdag 7 april 2027, of "
        "verschuif de uiterste datum voor inschrijvingen naar woensdag 14 april 2027 of later."
    )


# --- Standstill (Aanbestedingswet 2012 art. 2.127) ---------------------------------------------


def test_a_standstill_of_20_days_passes_and_19_fail():
    # Award decision on Wednesday 2 June 2027: day 20 is Tuesday 22 June.
    assert problems(tender(standstill_end_at=at(2027, 6, 22, 0, 30)), "standstill") == []
    (problem,) = problems(tender(standstill_end_at=at(2027, 6, 21, 23, 59)), "standstill")
    assert problem.blocking and problem.field == "standstill_end_at"
    assert problem.article == "Aanbestedingswet 2012, artikel 2.127"
    assert problem.message == (
        "De opschortende termijn eindigt te vroeg (maandag 21 juni 2027): minstens 20 "
        "kalenderdagen na de gunningsbeslissing van woensdag 2 juni 2027, dus op dinsdag 22 juni "
        "2027 of later (Aanbestedingswet 2012, artikel 2.127; de rechtsbeschermingsrichtlijn "
        "2007/66/EG vraagt 10 dagen, de Nederlandse wet 20). De termijn begint op de dag na de "
        "beslissing."
    )


def test_a_standstill_ending_on_a_sunday_runs_until_monday():
    # Award decision on Monday 7 June 2027: day 20 is Sunday 27 June.
    base = {"award_decision_at": at(2027, 6, 7, 10)}
    assert problems(tender(**base, standstill_end_at=at(2027, 6, 28)), "standstill") == []
    t = tender(**base, standstill_end_at=at(2027, 6, 27))
    (problem,) = problems(t, "standstill")
    assert "dus op maandag 28 juni 2027 of later" in problem.message
    assert problem.message.endswith(
        "Dag 20 valt op een zondag; de opschortende termijn loopt daarom door tot de volgende "
        "werkdag (Algemene termijnenwet, artikel 1)."
    )
    (warning,) = problems(t, "day_off")
    assert warning.field == "standstill_end_at" and "valt op een zondag" in warning.message


def test_the_contract_starts_after_the_standstill():
    assert problems(tender(contract_start=date(2027, 6, 23)), "standstill") == []
    (problem,) = problems(tender(contract_start=date(2027, 6, 22)), "standstill")
    assert problem.field == "contract_start" and problem.blocking
    assert problem.message == (
        "De raamovereenkomsten starten op dinsdag 22 juni 2027, voordat de opschortende termijn "
        "voorbij is (die eindigt op dinsdag 22 juni 2027): de overeenkomst wordt pas na de "
        "opschortende termijn gesloten, dus start op woensdag 23 juni 2027 of later "
        "(Aanbestedingswet 2012, artikel 2.127)."
    )


# --- Order ----------------------------------------------------------------------------------


def test_questions_close_after_publication():
    (problem,) = problems(tender(question_deadline_at=at(2027, 3, 2, 10)), "order")
    assert problem.field == "question_deadline_at" and problem.blocking
    assert problem.message == (
        "“Uiterste datum voor vragen” op dinsdag 2 maart 2027, 10:00 uur (Nederlandse tijd) "
        "moet later zijn dan “Verzending van de "
        "aankondiging” op dinsdag 2 maart 2027, 10:00 uur (Nederlandse tijd)."
    )


def test_answers_may_come_at_the_question_deadline_but_not_before():
    assert problems(tender(answers_at=at(2027, 3, 16, 17)), "order") == []
    (problem,) = problems(tender(answers_at=at(2027, 3, 16, 16)), "order")
    assert problem.field == "answers_at"
    assert problem.message == (
        "“Antwoorden (nota van inlichtingen) gepubliceerd uiterlijk” op dinsdag 16 maart 2027, "
        "16:00 uur (Nederlandse tijd) "
        "mag niet eerder zijn dan “Uiterste datum voor vragen” op dinsdag 16 maart 2027, 17:00 "
        "uur (Nederlandse tijd)."
    )


@pytest.mark.parametrize(
    ("changes", "field", "phrase"),
    [
        ({"opening_at": at(2027, 4, 6, 11)}, "opening_at", "mag niet eerder zijn dan"),
        ({"award_decision_at": at(2027, 4, 6, 14)}, "award_decision_at", "moet later zijn dan"),
        # With no award decision, the standstill still ends after the opening.
        (
            {"award_decision_at": None, "standstill_end_at": at(2027, 4, 6, 14)},
            "standstill_end_at",
            "moet later zijn dan “Opening van de inschrijvingen”",
        ),
    ],
)
def test_the_moments_follow_each_other(changes, field, phrase):
    (problem,) = problems(tender(**changes), "order")
    assert problem.field == field and phrase in problem.message


# --- Deadlines on a day off -------------------------------------------------------------------


def test_kings_day_is_the_26th_when_the_27th_is_a_sunday():
    assert day_off(date(2031, 4, 26)) == "Koningsdag"
    assert day_off(date(2031, 4, 27)) == "een zondag"
    assert day_off(date(2027, 4, 27)) == "Koningsdag"
    assert day_off(date(2027, 4, 26)) is None


def test_liberation_day_counts_every_year():
    """The Algemene termijnenwet names 5 May a public holiday every year."""
    assert day_off(date(2027, 5, 5)) == "Bevrijdingsdag"


@pytest.mark.parametrize(
    ("field", "moment", "name"),
    [
        ("question_deadline_at", at(2027, 3, 13, 12), "een zaterdag"),
        ("opening_at", at(2027, 4, 27, 14), "Koningsdag"),
        ("standstill_end_at", at(2027, 12, 25, 12), "Eerste kerstdag"),
    ],
)
def test_a_deadline_on_a_day_off_is_a_warning_naming_the_day(field, moment, name):
    t = tender(**{field: moment})
    (warning,) = problems(t, "day_off")
    assert warning.field == field and not warning.blocking
    assert f"valt op {name} (" in warning.message
    assert warning not in tender_period_blocking(t)
