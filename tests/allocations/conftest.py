"""Shared set-up: a commission with its seats, a session, a vacant dwelling and candidates."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from allocations import services
from allocations.enums import AttendanceStatus, Seat
from core.context import organization_context
from tests.allocations.factories import (
    CommissionFactory,
    CommissionMemberFactory,
    HousingApplicationFactory,
)
from tests.housing.factories import DwellingFactory, ResidenceFactory
from tests.organizations.factories import TerritoryFactory


def pdf_text(document: Any) -> str:
    from pypdf import PdfReader

    with document.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    # Whitespace normalised: table cells wrap words across lines.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


class World:
    """A ready-to-use allocation set-up in one organisation."""

    def __init__(self, org: Any, user: Any) -> None:
        self.org = org
        self.user = user
        self.territory = TerritoryFactory(organization=org, name="Lorraine")
        self.residence = ResidenceFactory(organization=org, territory=self.territory)
        self.commission = CommissionFactory(
            organization=org, territory=self.territory, name="CALEOL Lorraine"
        )
        self.members = [
            CommissionMemberFactory(
                organization=org,
                commission=self.commission,
                seat=Seat.BOARD,
                full_name=f"Administrateur {i}",
                is_president=(i == 0),
            )
            for i in range(5)
        ]
        self.members.append(
            CommissionMemberFactory(
                organization=org,
                commission=self.commission,
                seat=Seat.TENANTS,
                full_name="Représentante locataires",
            )
        )
        self.mayor = CommissionMemberFactory(
            organization=org,
            commission=self.commission,
            seat=Seat.MAYOR,
            full_name="Maire de Metz",
            commune_insee="57463",
        )
        self.other_mayor = CommissionMemberFactory(
            organization=org,
            commission=self.commission,
            seat=Seat.MAYOR,
            full_name="Maire de Woippy",
            commune_insee="57751",
        )
        self.members += [self.mayor, self.other_mayor]

    def dwelling(self, **kwargs: Any) -> Any:
        kwargs.setdefault("residence", self.residence)
        return DwellingFactory(organization=self.org, **kwargs)

    def application(self, **kwargs: Any) -> Any:
        return HousingApplicationFactory(organization=self.org, **kwargs)

    def session(self, **kwargs: Any) -> Any:
        kwargs.setdefault("place", "Siège")
        with organization_context(self.org, user=self.user):
            return services.session_create(
                commission=self.commission,
                scheduled_at=kwargs.pop(
                    "scheduled_at", timezone.now() + datetime.timedelta(days=3)
                ),
                created_by=self.user,
                **kwargs,
            )

    def prepared(self, *, candidates: int = 3, dwelling: Any = None) -> tuple[Any, Any, list[Any]]:
        """A session with one dwelling and `candidates` candidacies, agenda not yet published."""
        session = self.session()
        dwelling = dwelling or self.dwelling()
        with organization_context(self.org, user=self.user):
            item = services.session_dwelling_add(
                session=session, dwelling=dwelling, added_by=self.user
            )
            cands = [
                services.candidacy_add(
                    session_dwelling=item,
                    application=self.application(score=Decimal(300 - 10 * i)),
                    added_by=self.user,
                )
                for i in range(candidates)
            ]
        return session, item, cands

    def attend(self, session: Any, present: int | None = None) -> None:
        """Everyone present (or only the first `present` members)."""
        members = self.members if present is None else self.members[:present]
        with organization_context(self.org, user=self.user):
            services.attendance_record(
                session=session,
                entries=[{"member": m, "status": AttendanceStatus.PRESENT} for m in members],
                recorded_by=self.user,
            )

    def held(self, *, candidates: int = 3) -> tuple[Any, Any, list[Any]]:
        session, item, cands = self.prepared(candidates=candidates)
        with organization_context(self.org, user=self.user):
            services.session_publish_agenda(session=session, published_by=self.user)
            session.refresh_from_db()
        self.attend(session)
        with organization_context(self.org, user=self.user):
            services.session_hold(
                session=session, held_by=self.user, president_name="Administrateur 0"
            )
            session.refresh_from_db()
            item.refresh_from_db()
        return session, item, cands

    def decide_all(self, item: Any, cands: list[Any], kinds: list[dict] | None = None) -> Any:
        decisions = kinds or [
            {"candidacy": c, "kind": "ranked", "rank": i + 1} for i, c in enumerate(cands)
        ]
        with organization_context(self.org, user=self.user):
            item.refresh_from_db()
            return services.decisions_record(
                session_dwelling=item,
                expected_version=item.version,
                decisions=decisions,
                recorded_by=self.user,
                decided_on=datetime.date(2026, 3, 10),
            )


@pytest.fixture
def secretary(org: Any, member_of: Any) -> Any:
    return member_of(org, "commission_secretary")


@pytest.fixture
def world(org: Any, secretary: Any) -> World:
    return World(org, secretary)
