"""Pages of the arrears service: dashboard, cases, plans, import, indicators."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from arrears import forms, selectors, services
from arrears.enums import CaseStatus, Stage
from arrears.imports import TEMPLATE_CSV, statements_import
from arrears.models import ArrearsCase, RepaymentPlan
from core.access import require
from organizations.enums import Role


def _errors(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages_ in error.message_dict.values() for m in messages_)
    return " ".join(error.messages)


def _case(request: HttpRequest, public_id: uuid.UUID) -> ArrearsCase:
    return get_object_or_404(
        selectors.case_list(organization=request.organization), public_id=public_id
    )


def _officer(request: HttpRequest) -> Any:
    membership = getattr(request, "membership", None)
    return membership if membership and membership.role == Role.ARREARS_OFFICER else None


@require("arrears.view_arrears")
def dashboard(request: HttpRequest) -> HttpResponse:
    """The officer's dashboard (their cases; the whole organisation for managers)."""
    mine = request.GET.get("tous") != "1"
    officer = _officer(request) if mine else None
    data = selectors.dashboard(
        organization=request.organization, officer=officer, today=timezone.localdate()
    )
    return render(request, "arrears/dashboard.html", {**data, "officer": officer})


@require("arrears.view_arrears")
def case_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("statut") or None
    stage = request.GET.get("etape") or None
    cases = selectors.case_list(
        organization=request.organization,
        status=status if status in CaseStatus.values else None,
        stage=stage if stage in Stage.values else None,
    )
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/case_list.html",
        {
            "page": page,
            "statuses": CaseStatus.choices,
            "stages": Stage.choices,
            "status": status,
            "stage": stage,
        },
    )


@require("arrears.view_arrears", model="arrears.ArrearsCase")
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, public_id)
    org = request.organization
    today = timezone.localdate()
    return render(
        request,
        "arrears/case_detail.html",
        {
            "case": case,
            "steps": selectors.step_list(organization=org, case=case),
            "plans": selectors.plan_list(organization=org, case=case),
            "borloo_protocols": case.borloo_protocols.select_related("plan").all(),
            "fsl_aids": selectors.fsl_aid_list(organization=org, case=case),
            "write_offs": selectors.write_off_list(organization=org, case=case),
            "relocations": case.relocations.all(),
            "statements": selectors.statement_list(organization=org, lease=case.lease_id)[:12],
            "step_form": forms.StepForm(auto_id="step_%s", initial={"occurred_on": today}),
            "plan_form": forms.PlanForm(
                auto_id="plan_%s",
                initial={
                    "debt_at_signature": case.current_debt,
                    "signed_on": today,
                    "start_month": today.replace(day=1),
                },
            ),
            "contact_form": forms.ContactForm(auto_id="contact_%s", initial={"occurred_on": today}),
            "close_form": forms.CloseForm(auto_id="close_%s"),
            "relocation_form": forms.RelocationForm(
                auto_id="relocation_%s", initial={"requested_on": today}
            ),
            "fsl_form": forms.FslForm_(auto_id="fsl_%s", initial={"requested_on": today}),
            "write_off_form": forms.WriteOffForm(
                auto_id="write_off_%s", initial={"written_off_on": today}
            ),
            "borloo_form": forms.BorlooForm(auto_id="borloo_%s", initial={"signed_on": today}),
            "fsl_decision_form": forms.FslDecisionForm(
                auto_id="fsl_decision_%s", initial={"decided_on": today}
            ),
            "subsidy_form": forms.SubsidyForm(
                auto_id="subsidy_%s", initial={"requested_on": today}
            ),
            "subsidies": case.subsidy_requests.all(),
        },
    )


def _case_action(
    request: HttpRequest,
    public_id: uuid.UUID,
    form_class: type,
    act: Callable[[ArrearsCase, dict[str, Any]], Any],
    success: str,
) -> HttpResponse:
    case = _case(request, public_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                f"{form.fields[f].label if f in form.fields else ''} : {' '.join(e)}"
                for f, e in form.errors.items()
            ),
        )
        return redirect("arrears:case", public_id=case.public_id)
    try:
        act(case, form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, success)
    return redirect("arrears:case", public_id=case.public_id)


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def step_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.StepForm,
        lambda case, data: services.step_record(case=case, recorded_by=request.user, **data),
        "Étape enregistrée.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def plan_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.PlanForm,
        lambda case, data: services.plan_create(case=case, created_by=request.user, **data),
        "Plan d'apurement enregistré et échéancier généré.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def contact_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.ContactForm,
        lambda case, data: services.contact_record(
            household=case.household, case=case, acting_user=request.user, **data
        ),
        "Contact enregistré sur le parcours du ménage.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def case_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.CloseForm,
        lambda case, data: services.case_close(case=case, closed_by=request.user, **data),
        "Dossier clos.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def relocation_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.RelocationForm,
        lambda case, data: services.relocation_request(case=case, acting_user=request.user, **data),
        "Demande de relogement enregistrée.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def fsl_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.FslForm_,
        lambda case, data: services.fsl_aid_request(
            household=case.household, case=case, acting_user=request.user, **data
        ),
        "Demande d'aide FSL enregistrée.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def write_off_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.WriteOffForm,
        lambda case, data: services.debt_write_off_record(
            household=case.household, case=case, acting_user=request.user, **data
        ),
        "Effacement de dette enregistré.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def borloo_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    def act(case: ArrearsCase, data: dict[str, Any]) -> Any:
        write_off = None
        if data["basis"] == "debt_write_off":
            write_off = case.write_offs.filter(cause="prp").order_by("-written_off_on").first()
        return services.borloo_create(
            case=case, created_by=request.user, write_off=write_off, **data
        )

    return _case_action(request, public_id, forms.BorlooForm, act, "Protocole Borloo enregistré.")


@require_POST
@require("arrears.manage_arrears", model="arrears.ArrearsCase")
def subsidy_add(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return _case_action(
        request,
        public_id,
        forms.SubsidyForm,
        lambda case, data: services.subsidy_request_record(
            household=case.household, case=case, acting_user=request.user, **data
        ),
        "Demande d'aide enregistrée.",
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.FslAid")
def fsl_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    aid = get_object_or_404(
        selectors.fsl_aid_list(organization=request.organization), public_id=public_id
    )
    form = forms.FslDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.fsl_aid_decide(aid=aid, acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, "Décision FSL enregistrée.")
    else:
        messages.error(request, "Formulaire incomplet : " + ", ".join(form.errors))
    if aid.case_id:
        return redirect("arrears:case", public_id=aid.case.public_id)
    return redirect("arrears:dashboard")


@require("arrears.view_arrears", model="arrears.RepaymentPlan")
def plan_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    plan = get_object_or_404(
        selectors.plan_list(organization=request.organization), public_id=public_id
    )
    return render(
        request,
        "arrears/plan_detail.html",
        {
            "plan": plan,
            "form": forms.PlanForm(
                initial={
                    "debt_at_signature": plan.remaining,
                    "monthly_amount": plan.monthly_amount,
                    "approver": plan.approver,
                    "signed_on": timezone.localdate(),
                    "start_month": timezone.localdate().replace(day=1),
                }
            ),
        },
    )


@require_POST
@require("arrears.manage_arrears", model="arrears.RepaymentPlan")
def plan_renegotiate(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    plan = get_object_or_404(
        RepaymentPlan.objects.for_organization(request.organization), public_id=public_id
    )
    form = forms.PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Formulaire incomplet : " + ", ".join(form.errors))
        return redirect("arrears:plan", public_id=plan.public_id)
    try:
        new = services.plan_renegotiate(plan=plan, acting_user=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("arrears:plan", public_id=plan.public_id)
    messages.success(request, "Plan renégocié ; l'ancien plan reste dans l'historique.")
    return redirect("arrears:plan", public_id=new.public_id)


@require("arrears.import_statements")
def statement_import(request: HttpRequest) -> HttpResponse:
    if request.GET.get("modele") == "1":
        response = HttpResponse(TEMPLATE_CSV.encode("utf-8-sig"), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="situations-de-compte.csv"'
        return response
    form = forms.StatementImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = statements_import(
            organization=request.organization,
            data=form.cleaned_data["file"].read(),
            acting_user=request.user,
        )
        if report.ok:
            from arrears.tasks import arrears_daily_for_organization
            from core.tasks import enqueue_on_commit

            enqueue_on_commit(
                arrears_daily_for_organization, organization_id=request.organization.pk
            )
            messages.success(
                request,
                f"{report.rows} lignes : {report.created} créées, {report.updated} mises à jour, "
                f"{report.unchanged} inchangées.",
            )
            return redirect("arrears:import")
    status = 400 if report is not None and not report.ok else 200
    return render(request, "arrears/import.html", {"form": form, "report": report}, status=status)


@require("arrears.view_indicators")
def indicators(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = timezone.localdate().year - 1
    year = max(1990, min(year, 2100))
    data = selectors.yearly_indicators(organization=request.organization, year=year)
    return render(request, "arrears/indicators.html", {"year": year, **data})
