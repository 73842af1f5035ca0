from django.urls import path

from privacy import partner_views, views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("journal/export/", views.access_log_export, name="access_log_export"),
    path(
        "menages/<uuid:public_id>/consultations/",
        views.household_access_log,
        name="household_access_log",
    ),
    path("conservation/", views.retention_report, name="retention"),
    path("conservation/simulation.csv", views.retention_report_csv, name="retention_csv"),
    path("conservation/simulation.pdf", views.retention_report_pdf, name="retention_pdf"),
    path("conservation/appliquer/", views.retention_run_now, name="retention_run"),
    path("gels/", views.legal_hold_list, name="legal_holds"),
    path("menages/<uuid:public_id>/gel/", views.legal_hold_set, name="legal_hold_set"),
    path("gels/<uuid:public_id>/lever/", views.legal_hold_lift, name="legal_hold_lift"),
    path(
        "menages/<uuid:public_id>/droit-acces/",
        views.subject_access_page,
        name="subject_access",
    ),
    path(
        "menages/<uuid:public_id>/droit-acces.json",
        views.subject_access_household,
        name="subject_access_household",
    ),
    path(
        "personnes/<uuid:public_id>/droit-acces/",
        views.subject_access_person,
        name="subject_access_person",
    ),
    path("effacement/", views.erasure_request_list, name="erasure_requests"),
    path(
        "menages/<uuid:public_id>/effacement/",
        views.erasure_request_create,
        name="erasure_request_create",
    ),
    path(
        "effacement/<uuid:public_id>/decision/",
        views.erasure_request_decide,
        name="erasure_request_decide",
    ),
    path(
        "menages/<uuid:public_id>/consentements/",
        views.household_consents,
        name="household_consents",
    ),
    path(
        "consentements/<uuid:public_id>/retrait/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("mandats/", views.partner_grant_list, name="partner_grants"),
    path("mandats/nouveau/", views.partner_grant_create, name="partner_grant_create"),
    path(
        "mandats/<uuid:public_id>/revoquer/",
        views.partner_grant_revoke,
        name="partner_grant_revoke",
    ),
    path("menages-confies/", partner_views.granted_household_list, name="granted_households"),
    path(
        "menages-confies/export.csv",
        partner_views.granted_household_export,
        name="granted_households_export",
    ),
    path(
        "menages-confies/<uuid:public_id>/",
        partner_views.granted_household_detail,
        name="granted_household",
    ),
    path(
        "menages-confies/<uuid:public_id>/interventions/",
        partner_views.granted_intervention_create,
        name="granted_intervention_create",
    ),
]
