"""The eviction-prevention procedure as pure rules: order of the steps, legal deadlines, the
winter truce. No database access here except `rules_for()`, which reads the versioned settings
(arrears/parameters.py) once; everything else takes plain values, so each rule is tested alone.

Sources (RULES.md "Arrears and prevention of evictions"): CCH L824-2 (CAF/MSA report within
2 months), loi n° 89-462 art. 24 (CCAPEX ≥ 2 months before the summons; payment order 6 weeks,
summons notified to the préfet ≥ 6 weeks before the hearing since loi n° 2023-668, 2 months
before 29 July 2023), CPCE L412-1 (order to leave: 2 months), R153-1 (préfet: 2 months),
L412-6 (winter truce, 1 November – 31 March).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from arrears.enums import JudgmentOutcome, Stage, StepKind

Duration = dict[str, int]


def add(day: datetime.date, duration: Duration) -> datetime.date:
    """`day` plus a legal duration ({"months": 2} or {"weeks": 6}); calendar months end on the
    same day number, or the month's last day when it has none (31 Jan + 1 month = 28/29 Feb)."""
    return day + relativedelta(
        months=int(duration.get("months", 0)),
        weeks=int(duration.get("weeks", 0)),
        days=int(duration.get("days", 0)),
    )


def describe(duration: Duration) -> str:
    parts = []
    if duration.get("months"):
        parts.append(f"{duration['months']} mois")
    if duration.get("weeks"):
        parts.append(f"{duration['weeks']} semaines")
    if duration.get("days"):
        parts.append(f"{duration['days']} jours")
    return " et ".join(parts) or "0 jour"


@dataclass(frozen=True)
class Rules:
    caf_report_delay: Duration
    ccapex_before_summons: Duration
    payment_order_delay: Duration
    summons_prefect_notice: Duration
    order_to_leave_delay: Duration
    police_assistance_delay: Duration
    winter_truce: dict[str, str]


RULE_KEYS = {
    "caf_report_delay": "arrears.caf_report_delay",
    "ccapex_before_summons": "arrears.ccapex_before_summons",
    "payment_order_delay": "arrears.payment_order_delay",
    "summons_prefect_notice": "arrears.summons_prefect_notice",
    "order_to_leave_delay": "arrears.order_to_leave_delay",
    "police_assistance_delay": "arrears.police_assistance_delay",
    "winter_truce": "arrears.winter_truce",
}


def rules_for(*, organization: Any, on: datetime.date) -> Rules:
    """The rules in force on `on` for the organisation (versioned settings)."""
    from arrears.parameters import rule

    return Rules(
        **{field: rule(key, organization=organization, on=on) for field, key in RULE_KEYS.items()}
    )


def in_winter_truce(day: datetime.date, rules: Rules) -> bool:
    """CPCE L412-6: no eviction from 1 November to 31 March (inclusive), whatever the year."""
    start = tuple(int(x) for x in rules.winter_truce["start"].split("-"))
    end = tuple(int(x) for x in rules.winter_truce["end"].split("-"))
    current = (day.month, day.day)
    if start <= end:
        return start <= current <= end
    return current >= start or current <= end


def first_day_after_truce(day: datetime.date, rules: Rules) -> datetime.date:
    while in_winter_truce(day, rules):
        day += datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Step:
    """A procedure step as the rules see it."""

    kind: str
    on: datetime.date
    outcome: str = ""
    prefect_notified_on: datetime.date | None = None


@dataclass(frozen=True)
class Deadline:
    on: datetime.date
    label: str
    kind: str


# Which step must already be recorded before each kind (None: only the arrears).
PREREQUISITE: dict[str, str | None] = {
    StepKind.CAF_REPORT: None,
    StepKind.CCAPEX_REFERRAL: None,
    StepKind.PAYMENT_ORDER: None,
    StepKind.SUMMONS: StepKind.PAYMENT_ORDER,
    StepKind.HEARING: StepKind.SUMMONS,
    StepKind.JUDGMENT: StepKind.HEARING,
    StepKind.ORDER_TO_LEAVE: StepKind.JUDGMENT,
    StepKind.POLICE_REQUEST: StepKind.ORDER_TO_LEAVE,
    StepKind.EVICTION: StepKind.POLICE_REQUEST,
}
ORDER = list(StepKind.values)


def _fr(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _last(steps: Sequence[Step], kind: str) -> Step | None:
    found = [s for s in steps if s.kind == kind]
    return max(found, key=lambda s: s.on) if found else None


def validate_step(
    *,
    arrears_on: datetime.date,
    steps: Sequence[Step],
    new: Step,
    rules_on: Any,
) -> None:
    """Refuse an impossible step, with the reason in French (ValidationError keyed by field).

    `rules_on(date)` returns the Rules in force on a date: each delay is the one of the law on
    the day the act it follows was done (a payment order served in June 2023 left 2 months).
    """
    label = StepKind(new.kind).label
    if new.on < arrears_on:
        raise ValidationError(
            {"occurred_on": f"{label} : la date précède l'impayé (constaté le {_fr(arrears_on)})."}
        )
    if _last(steps, StepKind.EVICTION) is not None:
        raise ValidationError({"kind": "L'expulsion a eu lieu : la procédure est terminée."})
    once = {
        StepKind.CAF_REPORT,
        StepKind.CCAPEX_REFERRAL,
        StepKind.SUMMONS,
        StepKind.HEARING,
        StepKind.ORDER_TO_LEAVE,
        StepKind.EVICTION,
    }
    if new.kind in once and _last(steps, new.kind) is not None:
        raise ValidationError({"kind": f"{label} : étape déjà enregistrée pour ce dossier."})
    required = PREREQUISITE[new.kind]
    previous = _last(steps, required) if required else None
    if required and previous is None:
        raise ValidationError(
            {"kind": f"{label} impossible avant : {StepKind(required).label.lower()}."}
        )
    if previous is not None and new.on < previous.on:
        raise ValidationError(
            {
                "occurred_on": f"{label} : la date précède {StepKind(previous.kind).label.lower()}"
                f" du {_fr(previous.on)}."
            }
        )

    if new.kind == StepKind.SUMMONS:
        assert previous is not None
        delay = rules_on(previous.on).payment_order_delay
        earliest = add(previous.on, delay)
        if new.on < earliest:
            raise ValidationError(
                {
                    "occurred_on": f"Assignation impossible avant le {_fr(earliest)} : le "
                    f"commandement de payer du {_fr(previous.on)} laisse {describe(delay)} "
                    "pour payer."
                }
            )
        before = rules_on(new.on).ccapex_before_summons
        referrals = [
            s
            for s in steps
            if s.kind in (StepKind.CCAPEX_REFERRAL, StepKind.CAF_REPORT)
            and add(s.on, before) <= new.on
        ]
        if not referrals:
            raise ValidationError(
                {
                    "occurred_on": "Assignation impossible : la CCAPEX doit être saisie (le "
                    f"signalement CAF/MSA vaut saisine) au moins {describe(before)} avant."
                }
            )
        if new.prefect_notified_on is None:
            raise ValidationError(
                {
                    "prefect_notified_on": "Indiquez la date de notification de l'assignation au préfet."
                }
            )
        if new.prefect_notified_on < previous.on:
            raise ValidationError(
                {
                    "prefect_notified_on": "La notification au préfet ne peut précéder le "
                    "commandement de payer."
                }
            )

    if new.kind == StepKind.HEARING:
        assert previous is not None
        notified = previous.prefect_notified_on or previous.on
        notice = rules_on(previous.on).summons_prefect_notice
        earliest = add(notified, notice)
        if new.on < earliest:
            raise ValidationError(
                {
                    "occurred_on": f"Audience impossible avant le {_fr(earliest)} : l'assignation "
                    f"doit être notifiée au préfet au moins {describe(notice)} avant "
                    f"(notifiée le {_fr(notified)})."
                }
            )

    if new.kind == StepKind.JUDGMENT and not new.outcome:
        raise ValidationError({"outcome": "Indiquez la décision du jugement."})
    if new.kind != StepKind.JUDGMENT and new.outcome:
        raise ValidationError({"outcome": "Seul un jugement porte une décision."})

    if new.kind == StepKind.ORDER_TO_LEAVE:
        assert previous is not None
        if previous.outcome != JudgmentOutcome.LEASE_TERMINATED:
            raise ValidationError(
                {
                    "kind": "Commandement de quitter les lieux impossible : le dernier jugement "
                    f"n'a pas résilié le bail ({JudgmentOutcome(previous.outcome).label.lower()})."
                }
            )

    if new.kind == StepKind.POLICE_REQUEST:
        assert previous is not None
        delay = rules_on(previous.on).order_to_leave_delay
        earliest = add(previous.on, delay)
        if new.on < earliest:
            raise ValidationError(
                {
                    "occurred_on": f"Réquisition impossible avant le {_fr(earliest)} : le "
                    f"commandement de quitter les lieux laisse {describe(delay)}."
                }
            )

    if new.kind == StepKind.EVICTION:
        rules = rules_on(new.on)
        if in_winter_truce(new.on, rules):
            raise ValidationError(
                {
                    "occurred_on": f"Aucune expulsion pendant la trêve hivernale (du "
                    f"{rules.winter_truce['start'][3:]}/{rules.winter_truce['start'][:2]} au "
                    f"{rules.winter_truce['end'][3:]}/{rules.winter_truce['end'][:2]}) : "
                    f"première date possible le {_fr(first_day_after_truce(new.on, rules))}."
                }
            )


def next_deadline(
    *, arrears_on: datetime.date, steps: Sequence[Step], rules_on: Any
) -> Deadline | None:
    """The next date the officer must watch, from the steps recorded so far."""
    if _last(steps, StepKind.EVICTION):
        return None
    police = _last(steps, StepKind.POLICE_REQUEST)
    if police:
        return Deadline(
            add(police.on, rules_on(police.on).police_assistance_delay),
            "Réponse du préfet à la réquisition de la force publique",
            StepKind.POLICE_REQUEST,
        )
    leave = _last(steps, StepKind.ORDER_TO_LEAVE)
    if leave:
        return Deadline(
            add(leave.on, rules_on(leave.on).order_to_leave_delay),
            "Fin du délai pour quitter les lieux",
            StepKind.ORDER_TO_LEAVE,
        )
    if _last(steps, StepKind.JUDGMENT) or _last(steps, StepKind.HEARING):
        return None
    summons = _last(steps, StepKind.SUMMONS)
    if summons:
        notified = summons.prefect_notified_on or summons.on
        return Deadline(
            add(notified, rules_on(summons.on).summons_prefect_notice),
            "Audience possible à partir de cette date (notification au préfet)",
            StepKind.SUMMONS,
        )
    if not _last(steps, StepKind.CAF_REPORT):
        return Deadline(
            add(arrears_on, rules_on(arrears_on).caf_report_delay),
            "Signaler l'impayé à la CAF/MSA",
            StepKind.CAF_REPORT,
        )
    order = _last(steps, StepKind.PAYMENT_ORDER)
    if order:
        return Deadline(
            add(order.on, rules_on(order.on).payment_order_delay),
            "Fin du délai de paiement du commandement de payer",
            StepKind.PAYMENT_ORDER,
        )
    return None


def stage_of(steps: Sequence[Step]) -> str:
    """The stage is the furthest step in the order of the procedure."""
    if not steps:
        return Stage.AMICABLE
    return max((s.kind for s in steps), key=ORDER.index)
