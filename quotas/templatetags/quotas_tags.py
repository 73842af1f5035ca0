"""`{% candidate_quotas application dwelling session_dwelling as contributions %}`: the targets
an attribution to this candidate would count toward. The targets' progress is computed once per
request and territory (the assistant lists many candidates), and the programme labels of every
candidate the page lists (its `suggestions`) are read at the first one."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from core.access import can
from quotas import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def candidate_quotas(
    context: Any, application: Any, dwelling: Any, session_dwelling: Any = None
) -> list[selectors.Contribution]:
    request = context.get("request")
    if request is None or application is None or dwelling is None:
        return []
    if not can(request, "quotas.view_contributions"):
        return []
    organization = request.organization
    year = timezone.localdate().year
    territory_id = dwelling.residence.territory_id
    cache = request.__dict__.setdefault("_quota_dashboards", {})
    key = (territory_id, year)
    if key not in cache:
        cache[key] = selectors.quota_dashboard(
            organization=organization,
            territory=territory_id,
            year=year,
            count_without_targets=False,
            with_households=False,
        )
    programmes = request.__dict__.setdefault("_quota_programmes", {})
    if application.pk not in programmes:
        listed = {
            s.application.pk
            for s in context.get("suggestions") or ()
            if getattr(s, "application", None) is not None
        }
        programmes.update(
            selectors.programmes_by_application(
                organization=organization,
                application_ids=({application.pk} | listed) - programmes.keys(),
            )
        )
    return selectors.quota_contributions(
        organization=organization,
        application=application,
        dwelling=dwelling,
        year=year,
        session_dwelling=session_dwelling,
        dashboard=cache[key],
        programmes=programmes[application.pk],
    )
