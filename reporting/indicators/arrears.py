"""Arrears and prevention of evictions (seed 000: "450 plans d'apurement dont 75 protocoles
Borloo, 57 familles aidées par le FSL pour 42 000 €, taux d'impayés 5,66 %, 68 familles…
240 000 €, 1 500 appels, 600 rencontres"), read from the arrears app's selectors."""

from __future__ import annotations

from reporting.indicators import Indicator, Unit, decimal_or_none, pick

SECTION = "arrears"

try:
    from arrears import selectors as arrears
except ImportError:  # the arrears app is not installed
    arrears = None  # type: ignore[assignment]

_SRC = "arrears.selectors."

INDICATORS: list[Indicator] = []
if arrears is not None:
    INDICATORS = [
        Indicator(
            key="arrears.rate",
            label="Taux global des impayés",
            definition="Dette locative restant due en fin d'année (locataires présents et partis) rapportée au quittancement de l'année.",
            formula="100 × Σ solde positif du dernier relevé de l'année de chaque bail ÷ Σ quittancé de l'année",
            source="arrears.AccountStatement — " + _SRC + "arrears_rate",
            unit=Unit.PERCENT,
            section=SECTION,
            selector=pick(arrears.arrears_rate, "rate", convert=decimal_or_none),
            compare=True,
            higher_is_worse=True,
            tags=("home",),
        ),
        Indicator(
            key="arrears.unpaid",
            label="Dette locative en fin d'année",
            definition="Montant des impayés restant dus au 31 décembre (locataires présents et partis).",
            formula="Σ solde positif du dernier relevé de l'année de chaque bail",
            source="arrears.AccountStatement — " + _SRC + "arrears_rate",
            unit=Unit.EUROS,
            section=SECTION,
            selector=pick(arrears.arrears_rate, "unpaid", convert=decimal_or_none),
            compare=True,
            higher_is_worse=True,
        ),
        Indicator(
            key="arrears.three_months_unpaid_rate",
            label="Part des locataires avec 3 mois d'impayés ou plus",
            definition="Locataires présents au 31 décembre dont la dette atteint 3 mois de loyer résiduel, rapportés aux logements occupés.",
            formula="100 × locataires présents avec solde ≥ 3 × (quittancé − aide au logement) ÷ logements avec un bail en cours au 31/12/N",
            source="arrears.AccountStatement, housing.Lease — "
            + _SRC
            + "tenants_three_months_unpaid_rate",
            unit=Unit.PERCENT,
            section=SECTION,
            selector=pick(
                arrears.tenants_three_months_unpaid_rate, "rate", convert=decimal_or_none
            ),
            higher_is_worse=True,
        ),
        Indicator(
            key="arrears.plans_signed",
            label="Plans d'apurement établis",
            definition="Plans d'apurement signés dans l'année (une renégociation reste le même accord).",
            formula="count(plan signé en N sans plan précédent)",
            source="arrears.RepaymentPlan — " + _SRC + "plans_signed",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.plans_signed, "total"),
            compare=True,
        ),
        Indicator(
            key="arrears.borloo_protocols",
            label="dont protocoles Borloo",
            definition="Plans signés dans l'année portés par un protocole de cohésion sociale (Borloo).",
            formula="count(plan signé en N avec protocole Borloo)",
            source="arrears.BorlooProtocol — " + _SRC + "plans_signed",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.plans_signed, "borloo"),
        ),
        Indicator(
            key="arrears.fsl_families",
            label="Familles aidées par le FSL",
            definition="Ménages distincts ayant obtenu une aide du Fonds de solidarité pour le logement décidée dans l'année.",
            formula="count(distinct ménage) des aides FSL accordées, décidées en N",
            source="arrears.FslAid — " + _SRC + "fsl_families",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.fsl_families, "families"),
            compare=True,
        ),
        Indicator(
            key="arrears.fsl_amount",
            label="Montant des aides FSL",
            definition="Montant total des aides FSL accordées dans l'année.",
            formula="Σ montant accordé des aides FSL décidées en N",
            source="arrears.FslAid — " + _SRC + "fsl_families",
            unit=Unit.EUROS,
            section=SECTION,
            selector=pick(arrears.fsl_families, "amount", convert=decimal_or_none),
        ),
        Indicator(
            key="arrears.write_off_families",
            label="Familles ayant bénéficié d'un effacement de dette",
            definition="Ménages distincts dont la dette a été effacée (surendettement, PRP) dans l'année.",
            formula="count(distinct ménage) des effacements datés en N",
            source="arrears.DebtWriteOff — " + _SRC + "write_off_families",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.write_off_families, "families"),
            compare=True,
        ),
        Indicator(
            key="arrears.write_off_amount",
            label="Montant des dettes effacées",
            definition="Montant total des effacements de dette de l'année.",
            formula="Σ montant des effacements datés en N",
            source="arrears.DebtWriteOff — " + _SRC + "write_off_families",
            unit=Unit.EUROS,
            section=SECTION,
            selector=pick(arrears.write_off_families, "amount", convert=decimal_or_none),
        ),
        Indicator(
            key="arrears.relocations",
            label="Relogements à la demande du service contentieux",
            definition="Ménages relogés dans l'année à la demande du service contentieux.",
            formula="count(demande de relogement relogée, date de relogement ∈ N)",
            source="arrears.RelocationRequest — " + _SRC + "relocations",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.relocations, "relocated"),
            compare=True,
        ),
        Indicator(
            key="arrears.calls",
            label="Appels du service contentieux (reçus et émis)",
            definition="Appels reçus et émis par le service contentieux dans l'année.",
            formula="count(appel reçu ou émis daté en N)",
            source="cases.Intervention (service contentieux) ou parcours du ménage — "
            + _SRC
            + "contacts",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.contacts, "calls"),
            compare=True,
        ),
        Indicator(
            key="arrears.meetings",
            label="Rencontres avec les locataires",
            definition="Entretiens au bureau et visites à domicile du service contentieux dans l'année.",
            formula="count(rencontre datée en N)",
            source="cases.Intervention (service contentieux) ou parcours du ménage — "
            + _SRC
            + "contacts",
            unit=Unit.COUNT,
            section=SECTION,
            selector=pick(arrears.contacts, "meetings"),
            compare=True,
        ),
    ]
