"""One-box household search.

`Household.search_text` holds, normalised (lower case, no accents), every member's names and
birth names, phones (as typed and digits only), e-mail, address, external references, the
references and addresses of the dwellings it rented, and whatever other apps contribute
(`SEARCH_TEXT` in `<app>/household.py`: functions `household -> str`, e.g. the registration
numbers of allocations). `services.household_reindex(household)` rebuilds it; every housing
service that changes one of these facts calls it, and other apps call it after changing what
they contribute.

PostgreSQL: each query word must appear in the text (`ILIKE '%word%'`) or be close to one of its
words (trigram `<%`, word similarity ≥ pg_trgm.word_similarity_threshold, set to 0.5 for
the database by migration 0004), both served by
the GIN trigram index on `housing_unaccent(search_text)` (migration 0003). SQLite: icontains.
"""

from __future__ import annotations

import re
import unicodedata
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import FloatField, Func, Lookup, Q, QuerySet, TextField, Value

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
    """Output type of `HousingUnaccent`, carrying the trigram lookup."""


@SearchText.register_lookup
class WordSimilarTo(Lookup):
    """`term <% text`: the term is close to a word of the text (pg_trgm word similarity)."""

    lookup_name = "word_similar_to"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{rhs} <%% {lhs}", [*rhs_params, *lhs_params]


class HousingUnaccent(Func):
    """The IMMUTABLE unaccent-and-lower wrapper the trigram index is built on (migration 0003)."""

    function = "housing_unaccent"
    output_field = SearchText()


def search(queryset: QuerySet, query: str) -> QuerySet:
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        queryset = queryset.annotate(search_norm=HousingUnaccent("search_text"))
        for term in terms:
            condition = Q(search_norm__contains=term)
            if len(term) >= 4 and not term.isdigit():
                condition |= Q(search_norm__word_similar_to=term)
            queryset = queryset.filter(condition)
        rank = Func(
            Value(" ".join(terms)),
            HousingUnaccent("search_text"),
            function="word_similarity",
            output_field=FloatField(),
        )
        return queryset.annotate(search_rank=rank).order_by("-search_rank", "name", "pk")
    for term in terms:
        queryset = queryset.filter(search_text__icontains=term)
    return queryset.order_by("name", "pk")
