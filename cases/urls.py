from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("menages/<uuid:public_id>/", views.household_social, name="household"),
    path(
        "menages/<uuid:public_id>/intervention/",
        views.intervention_create,
        name="intervention_create",
    ),
    path("menages/<uuid:public_id>/suivi/", views.social_case_open, name="social_case_open"),
    path("menages/<uuid:public_id>/evaluation/", views.evaluation_create, name="evaluation_create"),
    path("menages/<uuid:public_id>/orientation/", views.referral_create, name="referral_create"),
    path(
        "menages/<uuid:public_id>/rendez-vous/",
        views.appointment_create,
        name="appointment_create",
    ),
    path("menages/<uuid:public_id>/adaptation/", views.adaptation_create, name="adaptation_create"),
    path("interventions/", views.intervention_list, name="interventions"),
    path("interventions/export.csv", views.intervention_export, name="intervention_export"),
    path("interventions/<uuid:public_id>/", views.intervention_detail, name="intervention_detail"),
    path("suivis/", views.social_case_list, name="social_cases"),
    path("suivis/<uuid:public_id>/", views.social_case_detail, name="social_case_detail"),
    path("suivis/<uuid:public_id>/prolonger/", views.social_case_extend, name="social_case_extend"),
    path("suivis/<uuid:public_id>/clore/", views.social_case_close, name="social_case_close"),
    path("suivis/<uuid:public_id>/statut/", views.social_case_status, name="social_case_status"),
    path("evaluations/", views.evaluation_list, name="evaluations"),
    path("evaluations/<uuid:public_id>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<uuid:public_id>/modifier/", views.evaluation_edit, name="evaluation_edit"),
    path(
        "evaluations/<uuid:public_id>/terminer/",
        views.evaluation_complete,
        name="evaluation_complete",
    ),
    path("orientations/", views.referral_list, name="referrals"),
    path("orientations/<uuid:public_id>/suite/", views.referral_outcome, name="referral_outcome"),
    path("rendez-vous/", views.appointment_list, name="appointments"),
    path("rendez-vous/<uuid:public_id>/", views.appointment_status, name="appointment_status"),
    path("campagnes/", views.campaign_list, name="campaigns"),
    path("campagnes/nouvelle/", views.campaign_create, name="campaign_create"),
    path("campagnes/<uuid:public_id>/", views.campaign_detail, name="campaign_detail"),
    path(
        "campagnes/<uuid:public_id>/progression/",
        views.campaign_progress,
        name="campaign_progress",
    ),
    path("campagnes/<uuid:public_id>/generer/", views.campaign_generate, name="campaign_generate"),
    path("campagnes/<uuid:public_id>/statut/", views.campaign_status, name="campaign_status"),
    path("appels/<uuid:public_id>/", views.campaign_call, name="campaign_call"),
    path("adaptations/", views.adaptation_list, name="adaptations"),
    path("adaptations/<uuid:public_id>/", views.adaptation_detail, name="adaptation_detail"),
    path(
        "adaptations/<uuid:public_id>/decision/",
        views.adaptation_decide,
        name="adaptation_decide",
    ),
    path(
        "adaptations/<uuid:public_id>/etape/", views.adaptation_progress, name="adaptation_progress"
    ),
    path(
        "adaptations/<uuid:public_id>/cofinancement/",
        views.adaptation_funding,
        name="adaptation_funding",
    ),
    path("commissions/", views.case_review_list, name="case_reviews"),
    path("commissions/nouvelle/", views.case_review_create, name="case_review_create"),
    path("commissions/<uuid:public_id>/", views.case_review_detail, name="case_review_detail"),
    path(
        "commissions/<uuid:public_id>/dossier/",
        views.case_review_item_add,
        name="case_review_item_add",
    ),
    path("commissions/<uuid:public_id>/tenir/", views.case_review_hold, name="case_review_hold"),
    path(
        "commissions/dossiers/<uuid:public_id>/decision/",
        views.case_review_item_decide,
        name="case_review_item_decide",
    ),
    path("dispositifs/", views.programme_list, name="programmes"),
    path("dispositifs/nouveau/", views.programme_create, name="programme_create"),
    path("dispositifs/<uuid:public_id>/", views.programme_detail, name="programme_detail"),
    path("dispositifs/<uuid:public_id>/modifier/", views.programme_edit, name="programme_edit"),
    path("dispositifs/<uuid:public_id>/inscrire/", views.programme_enrol, name="programme_enrol"),
    path(
        "dispositifs/inscriptions/<uuid:public_id>/decision/",
        views.enrolment_decide,
        name="enrolment_decide",
    ),
    path("indicateurs/", views.indicator_page, name="indicators"),
]
