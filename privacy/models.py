"""Data protection records: legal holds, retention runs, erasure requests, consents and the
security events of the second factor. Every row belongs to one organisation (RLS)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.fields import StringListField
from core.models import (
    OrganizationOwnedModel,
    OrganizationScopedManager,
    OrganizationScopedQuerySet,
)
from privacy.enums import (
    ConsentPurpose,
    ErasureStatus,
    GrantPermission,
    GrantScope,
    RetentionRunStatus,
    SecurityEventKind,
)


class SecurityEvent(OrganizationOwnedModel):
    """Enrolment, recovery and reset of a user's second factor (who, by whom, when)."""

    kind = models.CharField("type", max_length=30, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="utilisateur concerné",
    )
    at = models.DateTimeField("date", auto_now_add=True)
    detail = models.CharField("détail", max_length=250, blank=True)

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "événements de sécurité"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.user}"


class LegalHoldQuerySet(OrganizationScopedQuerySet):
    def active_on(self, day: datetime.date) -> LegalHoldQuerySet:
        return self.filter(started_on__lte=day).filter(
            Q(lifted_on__isnull=True) | Q(lifted_on__gt=day)
        )


class LegalHold(OrganizationOwnedModel):
    """A household whose data must not be deleted (ongoing procedure, litigation, request of an
    authority): retention rules skip it while the hold is active."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.PROTECT,
        related_name="legal_holds",
        verbose_name="ménage",
    )
    reason = models.CharField("motif", max_length=250)
    started_on = models.DateField("depuis le")
    lifted_on = models.DateField("levé le", null=True, blank=True)
    lift_reason = models.CharField("motif de la levée", max_length=250, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="levé par",
    )

    objects = OrganizationScopedManager.from_queryset(LegalHoldQuerySet)()

    class Meta:
        verbose_name = "gel de suppression"
        verbose_name_plural = "gels de suppression"
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("started_on")),
                name="legal_hold_lifted_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Gel : {self.reason}"

    @property
    def is_active(self) -> bool:
        return self.lifted_on is None


class RetentionRun(OrganizationOwnedModel):
    """What one application (or simulation) of the retention rules did, rule by rule."""

    day = models.DateField("date de référence")
    status = models.CharField("statut", max_length=10, choices=RetentionRunStatus.choices)
    started_at = models.DateTimeField("commencée le")
    finished_at = models.DateTimeField("terminée le", null=True, blank=True)
    results = models.JSONField("résultats par règle", default=list)
    total = models.PositiveIntegerField("lignes traitées", default=0)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "application des durées de conservation"
        verbose_name_plural = "applications des durées de conservation"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} du {self.day:%d/%m/%Y}"


class ErasureRequest(OrganizationOwnedModel):
    """A request to erase personal data (GDPR art. 17), tracked until its decision."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ménage",
    )
    # Kept as values: the request outlives the data it asked to erase.
    household_ref = models.UUIDField("ménage (identifiant)", null=True, blank=True)
    requester_name = models.CharField("demandeur", max_length=200)
    received_on = models.DateField("reçue le")
    scope = models.TextField("objet de la demande")
    status = models.CharField(
        "statut", max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.RECEIVED
    )
    decision_reason = models.TextField("motif de la décision (communiqué)", blank=True)
    decided_on = models.DateField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Demande de {self.requester_name} du {self.received_on:%d/%m/%Y}"

    @property
    def due_on(self) -> datetime.date:
        """GDPR art. 12(3): answer within one month of receipt."""
        return self.received_on + datetime.timedelta(days=30)


class ConsentRecord(OrganizationOwnedModel):
    """Consent given by a person, for data kept on that basis; it expires or is withdrawn."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name="ménage",
    )
    person = models.ForeignKey(
        "housing.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name="personne",
    )
    purpose = models.CharField("finalité", max_length=20, choices=ConsentPurpose.choices)
    detail = models.CharField("précision", max_length=250, blank=True)
    given_on = models.DateField("donné le")
    expires_on = models.DateField("expire le")
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    evidence = models.CharField("preuve (document, canal)", max_length=250, blank=True)

    class Meta:
        verbose_name = "consentement"
        verbose_name_plural = "consentements"
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("given_on")), name="consent_expires_after"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_on:%d/%m/%Y})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return (
            self.given_on <= day
            and day < self.expires_on
            and (self.withdrawn_on is None or day < self.withdrawn_on)
        )


# RLS: the partner organisation reads the grants made to it (never writes them: WITH CHECK
# stays "own organisation"); core_granted_household_ids() reads them as the partner.
PARTNER_CAN_READ = "partner_organization_id = core_current_organization_id()"


class PartnerAccessGrant(OrganizationOwnedModel):
    """A landlord (the owning organisation) grants a partner organisation scoped access to some
    households under a mandate (mandat de gestion, opérateur d'un dispositif)."""

    rls_extra_condition = PARTNER_CAN_READ

    partner_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation partenaire",
    )
    scope = models.CharField("périmètre", max_length=12, choices=GrantScope.choices)
    programme = models.ForeignKey(
        "cases.SupportProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="dispositif",
    )
    residence = models.ForeignKey(
        "housing.Residence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="résidence",
    )
    permissions = StringListField(
        models.CharField(max_length=20, choices=GrantPermission.choices),
        verbose_name="droits",
        size=4,
    )
    valid_from = models.DateField("à partir du")
    valid_until = models.DateField("jusqu'au", null=True, blank=True)
    mandate_reference = models.CharField("référence du mandat", max_length=120)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="révoqué par",
    )

    class Meta:
        verbose_name = "accès partenaire sous mandat"
        verbose_name_plural = "accès partenaires sous mandat"
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="grant_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(partner_organization=models.F("organization")),
                name="grant_partner_is_another_organisation",
            ),
            models.CheckConstraint(
                condition=Q(scope=GrantScope.HOUSEHOLDS)
                | Q(scope=GrantScope.PROGRAMME, programme__isnull=False)
                | Q(scope=GrantScope.RESIDENCE, residence__isnull=False),
                name="grant_scope_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Mandat {self.mandate_reference} — {self.partner_organization}"

    def is_active_on(self, day: datetime.date) -> bool:
        return (
            self.revoked_at is None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class PartnerAccessGrantHousehold(OrganizationOwnedModel):
    """A household covered by a grant (named, or resolved from the programme / residence by
    the services). Carries the partner so that RLS lets the partner read it."""

    rls_extra_condition = PARTNER_CAN_READ

    grant = models.ForeignKey(
        PartnerAccessGrant,
        on_delete=models.CASCADE,
        related_name="households",
        verbose_name="accès",
    )
    household = models.ForeignKey(
        "housing.Household", on_delete=models.CASCADE, related_name="+", verbose_name="ménage"
    )
    partner_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation partenaire",
    )

    class Meta:
        verbose_name = "ménage confié"
        verbose_name_plural = "ménages confiés"
        constraints = [
            models.UniqueConstraint(fields=["grant", "household"], name="grant_household_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} → {self.partner_organization_id}"
