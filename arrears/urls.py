from django.urls import path

from arrears import views

app_name = "arrears"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dossiers/", views.case_list, name="cases"),
    path("dossiers/<uuid:public_id>/", views.case_detail, name="case"),
    path("dossiers/<uuid:public_id>/etapes/", views.step_add, name="step_add"),
    path("dossiers/<uuid:public_id>/plans/", views.plan_add, name="plan_add"),
    path("dossiers/<uuid:public_id>/contacts/", views.contact_add, name="contact_add"),
    path("dossiers/<uuid:public_id>/cloture/", views.case_close, name="case_close"),
    path("dossiers/<uuid:public_id>/relogement/", views.relocation_add, name="relocation_add"),
    path("dossiers/<uuid:public_id>/fsl/", views.fsl_add, name="fsl_add"),
    path("dossiers/<uuid:public_id>/effacement/", views.write_off_add, name="write_off_add"),
    path("dossiers/<uuid:public_id>/borloo/", views.borloo_add, name="borloo_add"),
    path("dossiers/<uuid:public_id>/aides/", views.subsidy_add, name="subsidy_add"),
    path("fsl/<uuid:public_id>/decision/", views.fsl_decide, name="fsl_decide"),
    path("plans/<uuid:public_id>/", views.plan_detail, name="plan"),
    path("plans/<uuid:public_id>/renegocier/", views.plan_renegotiate, name="plan_renegotiate"),
    path("import/", views.statement_import, name="import"),
    path("indicateurs/", views.indicators, name="indicators"),
]
