import datetime
from decimal import Decimal

import pytest

from tests.housing.factories import LeaseFactory


@pytest.fixture
def lease(org):
    return LeaseFactory(organization=org, external_ref="BAIL-1")


@pytest.fixture
def officer(org, member_of):
    return member_of(org, "arrears_officer")


def csv_bytes(lines: list[str], *, encoding: str = "utf-8", bom: bool = False) -> bytes:
    text = "\r\n".join(["bail;mois;quittance;aide_logement;encaissements;solde", *lines]) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


D = datetime.date
E = Decimal
