"""One-box household search.

`Household.search_text` holds, normalised (lower case, no accents), every member's names and
birth names, phones (as typed and digits only), e-mail, address, external references, the
references and addresses of the dwellings it rented, and whatever other apps contribute
(`SEARCH_TEXT` in `<app>/household.py`: functions `household -> str`, e.g. the registration
numbers of allocations). `services.household_reindex(household)` rebuilds it; every housing
service that changes one of these facts calls it, and other apps call it after changing what
they contribute.

PostgreSQL: each query word must appear in the text (`LIKE '%word%'`) or, when no household has
them all, be close to one of its
words (trigram `<%`, word similarity ≥ pg_trgm.word_similarity_threshold, set to 0.5 for
the database by migration 0004), both served by the GIN trigram index on the stored generated
column `search_norm = housing_unaccent(search_text)` (migrations 0003 and 0005: `unaccent` and
`pg_trgm`, the IMMUTABLE wrapper, the column and its index). SQLite: icontains.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Expression,
    FloatField,
    Func,
    Lookup,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast

PHONE_CHARS = re.compile(r"[\s.\-/]")


def normalize(text: str) -> str:
    """Lower case, without accents or punctuation runs, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.lower().replace("œ", "oe").replace("æ", "ae")
    return " ".join(re.sub(r"[^\w@.+\-]", " ", stripped).split())


def query_terms(query: str) -> list[str]:
    """The words to look for. A query that is a phone number (digits with spaces, dots,
    dashes) becomes one digits-only term."""
    compact = PHONE_CHARS.sub("", query or "")
    if compact.isdigit() and len(compact) >= 4:
        return [compact]
    return [term for term in normalize(query).split() if len(term) >= 2][:6]


def contributors() -> list[Any]:
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.household")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.household":
                raise
            continue
        found.extend(getattr(module, "SEARCH_TEXT", []))
    return found


def build_search_text(household: Any) -> str:
    """The normalised search text of a household (a few queries; not for lists)."""
    parts: list[str] = [household.name, household.external_ref, household.email]
    for phone in [household.phone, *household.members.values_list("phone", flat=True)]:
        if phone:
            parts += [phone, PHONE_CHARS.sub("", phone)]
    parts += [household.address, household.postal_code, household.commune_name]
    for first, last, birth in household.members.values_list(
        "first_name", "last_name", "birth_name"
    ):
        parts += [first, last, birth]
    for reference, external_ref, address, commune in household.leases.values_list(
        "dwelling__reference",
        "external_ref",
        "dwelling__residence__address",
        "dwelling__residence__commune_name",
    ):
        parts += [reference, external_ref, address, commune]
    for contributor in contributors():
        parts.append(contributor(household) or "")
    text = normalize(" ".join(p for p in parts if p))
    # References typed with separators (057-0123-45678) are found typed without them too.
    compact = [PHONE_CHARS.sub("", t) for t in text.split() if any(c.isdigit() for c in t)]
    extra = [c for c in compact if c not in text.split()]
    return " ".join([text, *extra])[:10000]


class SearchText(TextField):
    """Output type of `SearchNorm`, carrying the trigram lookup."""


@SearchText.register_lookup
class WordSimilarTo(Lookup):
    """`term <% text`: the term is close to a word of the text (pg_trgm word similarity)."""

    lookup_name = "word_similar_to"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


class SearchNorm(Expression):
    """The household's stored normalised text: `search_norm`, a PostgreSQL generated column
    (`housing_unaccent(search_text)`, migration 0005) with the trigram index; not a model field."""

    output_field = SearchText()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        alias = compiler.query.get_initial_alias()
        return f'{compiler.quote_name_unless_alias(alias)}."search_norm"', []


class SearchIds(Expression):
    """`SELECT id FROM housing_search_ids(…)`: the ids of the current organisation's households
    matching every term, found through the trigram index by the owner-defined function of
    migration 0006 (under row-level security the index could not be used directly)."""

    output_field = BigIntegerField()

    def __init__(self, terms: list[str], *, fuzzy: bool) -> None:
        super().__init__()
        self.terms, self.fuzzy = terms, fuzzy

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        patterns = ["%" + _escape_like(term) + "%" for term in self.terms]
        fuzzy_terms = [t if len(t) >= 4 and not t.isdigit() else None for t in self.terms]
        return (
            "SELECT id FROM housing_search_ids(%s::text[], %s::text[], %s)",
            [patterns, fuzzy_terms, self.fuzzy],
        )


class IdAmong(Expression):
    """`<the household's id> = ANY(%s)`: one array parameter, whatever the number of ids."""

    output_field = BooleanField()

    def __init__(self, ids: list[int]) -> None:
        super().__init__()
        self.ids = ids

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return f'{alias}."id" = ANY(%s::bigint[])', [self.ids]


def matching_ids(terms: list[str], *, fuzzy: bool) -> list[int]:
    """The ids `housing_search_ids` finds, read once: the search, its count and its page used
    to call the function (and rescan the trigram index) each — three times per request."""
    sql, params = SearchIds(terms, fuzzy=fuzzy).as_sql(None, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _every_term(terms: list[str]) -> Q:
    condition = Q()
    for term in terms:
        condition &= Q(search_text__contains=term)
    return condition


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(queryset: QuerySet, query: str, *, granted: QuerySet | None = None) -> QuerySet:
    """Households matching every term of `query`.

    PostgreSQL, in two passes through `housing_search_ids` (the trigram index), each read once
    (`matching_ids`): every term as a substring (`LIKE '%term%'`, a few milliseconds); only
    when that finds nothing, the typo-tolerant pass (each term of 4 letters or more may instead be close to a word of the
    text, `term <% text`). Exact matches are ordered by name; fuzzy ones by word similarity.

    `granted`: ids of households other organisations granted to this one (a partner under
    mandate, privacy/partners.py), searched as substrings among themselves only (a few
    hundred rows, no index needed; no typo-tolerant pass for them).
    """
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor != "postgresql":
        for term in terms:
            queryset = queryset.filter(search_text__icontains=term)
        return queryset.order_by("name", "pk")
    ids = matching_ids(terms, fuzzy=False)
    matches = Q(IdAmong(ids))
    if granted is not None:
        matches |= Q(pk__in=granted) & _every_term(terms)
    exact = queryset.filter(matches)
    if ids or (granted is not None and exact.exists()):
        return exact.order_by("name", "pk")
    # Double precision: word_similarity() is a `real`, which Python reads back rounded; the
    # API's cursor carries the rank and compares it again (core.drf.KeysetPagination).
    rank = Cast(
        Func(
            Value(" ".join(terms)),
            SearchNorm(),
            function="word_similarity",
            output_field=FloatField(),
        ),
        FloatField(),
    )
    return (
        queryset.filter(IdAmong(matching_ids(terms, fuzzy=True)))
        .annotate(search_rank=rank)
        .order_by("-search_rank", "name", "pk")
    )
