"""1. Key pages and API lists, one user, warm: p50/p95 (ms) and SQL queries per request.

Pages are found by URL name (`reverse`), from a list of candidate names per page and a keyword
scan of the app's namespace, so a page that does not exist yet is reported "missing".
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count
from django.urls import NoReverseMatch, get_resolver, reverse

from bench.common import LAST, Figures, get, percentile, session_cookie


@dataclass
class Page:
    key: str
    role: str
    names: list[str]
    model: str | None = None  # the organisation-owned model whose public id the URL carries
    query: str = ""
    keywords: list[str] = field(default_factory=list)


PAGES = [
    Page("household_search", "social_worker", ["housing:households"], query="?q=martin"),
    Page("household_file", "social_worker", ["housing:household_detail"], "housing.Household"),
    Page(
        "caseload",
        "social_worker",
        ["cases:caseload", "cases:my_cases", "cases:case_list", "cases:cases", "cases:index"],
        keywords=["caseload", "portefeuille"],
    ),
    Page(
        "commission_session",
        "commission_secretary",
        ["allocations:session_detail", "allocations:commission_session", "allocations:session"],
        "allocations.CommissionSession",
        keywords=["session_detail", "session"],
    ),
    Page(
        "candidate_assistant",
        "commission_secretary",
        [
            "allocations:candidate_assistant",
            "allocations:dwelling_candidates",
            "allocations:assistant",
            "allocations:candidates",
        ],
        "allocations.SessionDwelling",
        keywords=["assistant", "candidate"],
    ),
    Page(
        "arrears_dashboard",
        "arrears_officer",
        ["arrears:dashboard", "arrears:index", "arrears:case_list", "arrears:cases"],
        keywords=["dashboard", "tableau"],
    ),
    Page(
        "quotas_dashboard",
        "manager",
        [
            "quotas:dashboard",
            "allocations:quotas",
            "allocations:quota_dashboard",
            "allocations:quota_list",
        ],
        keywords=["quota"],
    ),
    Page(
        "manager_dashboard",
        "manager",
        [
            "reporting:dashboard",
            "reporting:manager_dashboard",
            "reporting:indicators",
            "reporting:index",
        ],
        keywords=["dashboard", "tableau"],
    ),
    Page("home", "manager", ["home"]),
    # Operations (issue 12): the leasing activity per territory (prospections, registration
    # desk, register) and a relocation operation's dashboard.
    Page("leasing_activity", "commission_secretary", ["operations:prospections"]),
    Page(
        "relocation_operation",
        "manager",
        ["operations:relocation_detail"],
        "operations.RelocationOperation",
    ),
]

_samples: dict[str, Any] = {}


def busiest(model: Any) -> Any:
    """The object of `model` with the most rows pointing at it (a full session, a big
    household), else the first one."""
    queryset = model.objects.all()
    reverse_rel = [
        r for r in model._meta.related_objects if r.one_to_many and r.related_model is not model
    ]
    if model._meta.label == "housing.Household":
        return (
            queryset.annotate(n=Count("members"))
            .filter(leases__end_date__isnull=True)
            .order_by("-n", "pk")
            .first()
        )
    if model._meta.label == "allocations.CommissionSession":
        # A session being prepared (its dwellings and candidates), the biggest one.
        rel = next((r for r in reverse_rel if r.related_model.__name__ == "SessionDwelling"), None)
        if rel is not None:
            with contextlib.suppress(Exception):
                busy = queryset.annotate(n=Count(rel.get_accessor_name())).order_by("-n", "-pk")
                return busy.exclude(status="minutes_signed").first() or busy.first()
    if model._meta.label == "allocations.SessionDwelling":
        with contextlib.suppress(Exception):
            found = queryset.exclude(session__status="minutes_signed").order_by("pk").first()
            if found is not None:
                return found
    if model._meta.label == "housing.Dwelling":
        return queryset.filter(status="vacant").order_by("pk").first() or queryset.first()
    if reverse_rel:
        name = reverse_rel[0].get_accessor_name()
        with contextlib.suppress(Exception):
            return queryset.annotate(n=Count(name)).order_by("-n", "pk").first()
    return queryset.order_by("pk").first()


def sample(label: str) -> Any:
    if label not in _samples:
        try:
            model = apps.get_model(label)
        except LookupError:
            _samples[label] = None
        else:
            try:
                _samples[label] = busiest(model)
            except Exception:
                _samples[label] = None
    return _samples[label]


def url_names(namespace: str) -> list[str]:
    resolver = get_resolver()
    if namespace not in resolver.namespace_dict:
        return []
    _, sub = resolver.namespace_dict[namespace]
    return sorted({k for k in sub.reverse_dict if isinstance(k, str)})


def find_url(page: Page) -> str | None:
    names = list(page.names)
    namespace = page.names[0].split(":")[0] if ":" in page.names[0] else ""
    if namespace and page.keywords:
        for name in url_names(namespace):
            if any(k in name for k in page.keywords):
                names.append(f"{namespace}:{name}")
    obj = sample(page.model) if page.model else None
    for name in names:
        attempts: list[dict[str, Any]] = [{}]
        if obj is not None:
            attempts = [
                {"kwargs": {"public_id": obj.public_id}},
                {"kwargs": {"pk": obj.public_id}},
                {"args": [obj.public_id]},
                {},
            ]
        for attempt in attempts:
            try:
                return reverse(name, **attempt) + page.query
            except NoReverseMatch:
                continue
    return None


def measure(base: str, path: str, cookie: str, headers: dict[str, str], repeat: int) -> dict:
    first = get(base + path, cookie, headers)[1]  # warm-up
    if first > 5.0:  # a page of many seconds: three samples (their max as p95)
        repeat = 3
    else:
        second = get(base + path, cookie, headers)[1]
        if max(first, second) > 1.0:
            repeat = min(repeat, 5)
    times, queries, statuses, db = [], [], set(), []
    for _ in range(repeat):
        status, seconds, n, _ = get(base + path, cookie, headers)
        times.append(seconds * 1000)
        queries.append(n)
        statuses.add(status)
        db.append(LAST.get("db_ms", 0.0))
    return {
        "p50_ms": percentile(times, 50),
        "p95_ms": percentile(times, 95),
        "db_p50_ms": percentile(db, 50),
        "queries": max(queries),
        "status": sorted(statuses)[-1],
    }


def compute_indicator_snapshot(figures: Figures, org: Any) -> None:
    """The manager dashboard and the home panel serve this year's indicators from a snapshot
    that the worker computes every night (docs/reporting.md, "Snapshots"): compute it as the
    worker does, now, so that the pages are measured in their usual state, and report what the
    computation itself costs (`pages.indicator_snapshot_s`, the background work)."""
    import time

    from django.utils import timezone

    try:
        from reporting.tasks import refresh_indicator_snapshot
    except ImportError:
        figures.missing("pages.indicator_snapshot_s", "no indicator snapshots yet")
        return
    started = time.perf_counter()
    refresh_indicator_snapshot(organization_id=org.pk, year=timezone.localdate().year)
    figures.put("pages.indicator_snapshot_s", time.perf_counter() - started)


def run(figures: Figures, server: Any, ctx: dict[str, Any]) -> dict[str, Any]:
    """Returns the URLs found, for the load test."""
    from core.context import organization_context

    repeat = int(os.environ.get("BENCH_REPEAT", "20"))
    org = ctx["organization"]
    compute_indicator_snapshot(figures, org)
    found: dict[str, dict[str, Any]] = {}
    wanted = {x for x in os.environ.get("BENCH_PAGES", "").split(",") if x}
    selected = [p for p in PAGES if not wanted or p.key in wanted]
    with organization_context(org):
        urls = {page.key: find_url(page) for page in selected}
    for page in selected:
        path = urls[page.key]
        if path is None:
            figures.missing(f"pages.{page.key}", "no such page yet")
            continue
        cookie = ctx["cookies"][page.role]
        result = measure(server.base, path, cookie, {}, repeat)
        for metric, value in result.items():
            figures.put(f"pages.{page.key}.{metric}", value)
        found[page.key] = {
            "path": path,
            "role": page.role,
            "status": result["status"],
            "p50_ms": result["p50_ms"],
        }

    if wanted:  # BENCH_PAGES=key,...: those pages only, no API lists
        return found
    # API lists, page of 50.
    from config.urls import router

    headers = {"X-Organization": org.slug, "Accept": "application/json"}
    api_p95 = []
    for prefix, _viewset, basename in router.registry:
        try:
            path = reverse(f"{basename}-list") + "?page_size=50"
        except NoReverseMatch:
            continue
        key = prefix.replace("/", "_").replace("-", "_")
        result = measure(server.base, path, ctx["cookies"]["manager"], headers, max(5, repeat // 2))
        for metric, value in result.items():
            figures.put(f"api.{key}.{metric}", value)
        if result["status"] == 200:
            api_p95.append(result["p95_ms"])
            found[f"api_{key}"] = {"path": path, "role": "manager", "status": 200, "api": True}
    if api_p95:
        figures.put("api.lists_count", len(api_p95))
        figures.put("api.worst_p95_ms", max(api_p95))
    return found


def make_cookies(org: Any) -> dict[str, str]:
    from core.context import organization_context
    from organizations.models import Membership

    cookies: dict[str, str] = {}
    with organization_context(org):
        memberships = (
            Membership.objects.select_related("user").filter(is_active=True).order_by("pk")
        )
        for membership in memberships:
            if membership.role not in cookies:
                cookies[membership.role] = session_cookie(membership.user, org)
    return cookies
