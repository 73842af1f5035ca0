"""A hand-built year 2025 on one territory: ten attributions whose categories are listed in
the table below, plus three offers that must NOT count (another year, another territory, an
offer accepted but no lease signed).

First-quartile threshold of EPCI 200039865 (allocations.first_quartile_thresholds): 9 846 €/UC.
Composition 2 adults + 1 child = 1 + 0.5 + 0.3 = 1.8 UC, so
  15 000 € → 8 333.33 €/UC (1st quartile), 30 000 € → 16 666.67 €/UC (not),
  12 000 € → 6 666.67 €/UC (1st quartile).

 #  signed   dwelling  flow      criteria                  programme   verified  declared  Q1
 1  02-10    hors QPV  préfet    dalo                      —           15 000    15 000    yes
 2  03-15    hors QPV  préfet    dalo, emergency_accomm.   MVS         30 000    30 000    no
 3  04-02    hors QPV  bailleur  domestic_violence         —           15 000    15 000    yes
 4  05-20    hors QPV  bailleur  —                         —           30 000    30 000    no
 5  06-11    hors QPV  AL        disability                —           (none)    12 000    yes (declared)
 6  08-05    hors QPV  AL        —                         —           30 000    12 000    no (verified)
 7  09-01    QPV       bailleur  emergency_accomm.         MVS         15 000    15 000    yes
 8  10-14    QPV       préfet    —                         —           30 000    30 000    no
 9  09-20    QPV       AL        dalo                      Accel'AIR   30 000    30 000    no
10  11-30    QPV       bailleur  —                         —           15 000    15 000    yes
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from allocations.enums import Flow
from tests.allocations.factories import (
    ApplicationPriorityFactory,
    HousingApplicationFactory,
    OfferFactory,
)
from tests.housing.factories import DwellingFactory, PartnerFactory, ResidenceFactory
from tests.organizations.factories import TerritoryFactory
from tests.quotas.factories import ProgrammeLabelFactory, ReservationAgreementFactory

D = datetime.date
ROWS = [
    # (signed, qpv, flow, criteria, programmes, verified, declared)
    (D(2025, 2, 10), False, "prefet", ["dalo"], [], 15000, 15000),
    (D(2025, 3, 15), False, "prefet", ["dalo", "emergency_accommodation"], ["MVS"], 30000, 30000),
    (D(2025, 4, 2), False, "landlord", ["domestic_violence"], [], 15000, 15000),
    (D(2025, 5, 20), False, "landlord", [], [], 30000, 30000),
    (D(2025, 6, 11), False, "al", ["disability"], [], None, 12000),
    (D(2025, 8, 5), False, "al", [], [], 30000, 12000),
    (D(2025, 9, 1), True, "landlord", ["emergency_accommodation"], ["MVS"], 15000, 15000),
    (D(2025, 10, 14), True, "prefet", [], [], 30000, 30000),
    (D(2025, 9, 20), True, "al", ["dalo"], ["Accel'AIR"], 30000, 30000),
    (D(2025, 11, 30), True, "landlord", [], [], 15000, 15000),
]


class Year:
    def __init__(self, org: Any) -> None:
        self.org = org
        self.territory = TerritoryFactory(organization=org, name="Lorraine")
        self.other_territory = TerritoryFactory(organization=org, name="Alsace")
        self.prefet = PartnerFactory(organization=org, prefecture=True)
        self.al = PartnerFactory(organization=org, action_logement=True)
        self.plain = ResidenceFactory(organization=org, territory=self.territory, is_qpv=False)
        self.qpv = ResidenceFactory(organization=org, territory=self.territory, is_qpv=True)
        self.agreement_prefet = ReservationAgreementFactory(
            organization=org, partner=self.prefet, territory=self.territory, year=2025
        )
        self.agreement_al = ReservationAgreementFactory(
            organization=org,
            partner=self.al,
            territory=self.territory,
            year=2025,
            flow_share=Decimal("20"),
        )
        self.offers = [self.attribute(*row) for row in ROWS]
        # Not attributions of 2025 on this territory:
        self.attribute(D(2024, 12, 20), False, "landlord", ["dalo"], [], 15000, 15000)
        self.attribute(
            D(2025, 5, 5),
            False,
            "landlord",
            ["dalo"],
            [],
            15000,
            15000,
            residence=ResidenceFactory(organization=org, territory=self.other_territory),
        )
        self.attribute(None, False, "landlord", ["dalo"], [], 15000, 15000, status="accepted")

    def attribute(
        self,
        signed: datetime.date | None,
        qpv: bool,
        flow: str,
        criteria: list[str],
        programmes: list[str],
        verified: int | None,
        declared: int,
        residence: Any = None,
        status: str = "lease_signed",
    ) -> Any:
        application = HousingApplicationFactory(
            organization=self.org,
            adults=2,
            children=1,
            verified_annual_income=None if verified is None else Decimal(verified),
            declared_annual_income=Decimal(declared),
        )
        for criterion in criteria:
            ApplicationPriorityFactory(
                organization=self.org, application=application, criterion=criterion
            )
        for programme in programmes:
            ProgrammeLabelFactory(
                organization=self.org, application=application, programme=programme
            )
        residence = residence or (self.qpv if qpv else self.plain)
        dwelling = DwellingFactory(organization=self.org, residence=residence)
        partner = {"prefet": self.prefet, "al": self.al}.get(flow)
        notified = (signed or D(2025, 6, 1)) - datetime.timedelta(days=20)
        return OfferFactory(
            organization=self.org,
            decision__candidacy__application=application,
            decision__candidacy__session_dwelling__dwelling=dwelling,
            decision__candidacy__session_dwelling__flow=(
                Flow.RESERVATAIRE if partner else Flow.LANDLORD
            ),
            decision__candidacy__session_dwelling__reserving_partner=partner,
            decision__candidacy__session_dwelling__session__scheduled_at=datetime.datetime(
                notified.year, notified.month, notified.day, 14, tzinfo=datetime.UTC
            ),
            decision__decided_on=notified,
            notified_on=notified,
            answer_deadline=notified + datetime.timedelta(days=10),
            status=status,
            answered_on=notified + datetime.timedelta(days=5),
            lease_signed_on=signed,
        )


@pytest.fixture
def year(org: Any) -> Year:
    return Year(org)
