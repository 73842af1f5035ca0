from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models

from core.context import UnscopedQueryError, current_organization_id, unscoped_reason

# --- Organisation scoping ------------------------------------------------------------------------


class OrganizationScopedQuerySet(models.QuerySet):
    # Set on a queryset built with no organisation in context. Building one is allowed (Django
    # builds the choices of a ModelForm's foreign keys, django-filter its FilterSets, when the
    # class is defined, at import time); running it is refused.
    _unscoped_error: str | None = None

    def for_organization(self, organization: Any) -> Self:
        """Explicit scoping, as selectors write it. It must agree with the active context."""
        org_id = getattr(organization, "pk", organization)
        active = current_organization_id()
        if active is not None and active != org_id:
            raise UnscopedQueryError(
                f"{self.model.__name__}: asked for organisation {org_id} while {active} is active"
            )
        queryset = self.filter(organization_id=org_id)
        queryset._unscoped_error = None  # explicitly scoped: may run anywhere
        return queryset

    def _refuse_if_unscoped(self) -> None:
        if (
            self._unscoped_error is not None
            and unscoped_reason() is None
            and not self.query.is_empty()
        ):
            raise UnscopedQueryError(self._unscoped_error)

    def _clone(self) -> Self:
        clone = super()._clone()  # type: ignore[misc]
        clone._unscoped_error = self._unscoped_error
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._refuse_if_unscoped()
        super()._fetch_all()  # type: ignore[misc]

    def iterator(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_unscoped()
        return super().iterator(*args, **kwargs)

    def count(self) -> int:
        self._refuse_if_unscoped()
        return super().count()

    def exists(self) -> bool:
        self._refuse_if_unscoped()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        self._refuse_if_unscoped()
        return super().aggregate(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._refuse_if_unscoped()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_if_unscoped()
        return super().delete()

    def create(self, **kwargs: Any) -> Any:
        self._refuse_if_unscoped()
        return super().create(**kwargs)

    def bulk_create(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_unscoped()
        return super().bulk_create(*args, **kwargs)

    def resolve_expression(self, *args: Any, **kwargs: Any) -> Any:
        """Used as a subquery (`filter(x__in=queryset)`)."""
        self._refuse_if_unscoped()
        return super().resolve_expression(*args, **kwargs)


class OrganizationScopedManager(models.Manager.from_queryset(OrganizationScopedQuerySet)):  # type: ignore[misc]
    """Every query is filtered on the current organisation; none runs without one.

    Related managers (`household.members.all()`) and prefetches derive from this manager, so
    they are scoped too. A queryset built with no organisation (form and filter classes do at
    import time) raises UnscopedQueryError when it runs, even later inside an organisation:
    it carries no organisation filter, so it must be rebuilt where the organisation is known.
    """

    def none(self) -> OrganizationScopedQuerySet:
        """An empty queryset needs no organisation (form and serializer field defaults)."""
        return super().get_queryset().none()

    def get_queryset(self) -> OrganizationScopedQuerySet:
        queryset = super().get_queryset()
        org_id = current_organization_id()
        if org_id is not None:
            return queryset.filter(organization_id=org_id)
        if unscoped_reason() is None:
            queryset._unscoped_error = (
                f"{self.model.__name__} is organisation-owned: query it inside an organisation "
                "context (request, task, organization_context) or dangerously_unscoped()."
            )
        return queryset


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=False)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class OrganizationOwnedModel(TimestampedModel):
    """Base of every row that belongs to one organisation.

    Carries its organisation (row-level security keys on it), a public UUID for URLs and the
    API, and who created / last changed it.
    """

    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créé par",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="modifié par",
    )

    objects = OrganizationScopedManager()

    class Meta:
        abstract = True


# --- Audit trail (written by database triggers on PostgreSQL, see core/db.py) ------------------


class AuditEvent(models.Model):
    """One insert, update or delete of an organisation-owned row.

    Rows are written by a SECURITY DEFINER trigger on every table that has an organization_id;
    the application role may only read them (row-level security applies), never write,
    change or delete them.
    """

    class Action(models.TextChoices):
        INSERT = "I", "Création"
        UPDATE = "U", "Modification"
        DELETE = "D", "Suppression"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    table_name = models.CharField("table", max_length=100)
    row_pk = models.BigIntegerField("ligne")
    action = models.CharField("action", max_length=1, choices=Action.choices)
    changes = models.JSONField("changements", default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField("date")

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = "événement d'audit"
        verbose_name_plural = "journal d'audit"
        indexes = [models.Index(fields=["table_name", "row_pk", "at"], name="audit_row_idx")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.table_name} #{self.row_pk}"


# --- Reads of sensitive data ---------------------------------------------------------------------


class AccessEvent(models.Model):
    """One display or export of sensitive data (social notes, evaluations, disability, the
    household file). CNIL: log consultation with author and time; keep for a set period."""

    class Action(models.TextChoices):
        VIEW = "view", "Consultation"
        EXPORT = "export", "Export"
        PRINT = "print", "Impression"

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisation",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="utilisateur",
    )
    at = models.DateTimeField("date", auto_now_add=True)
    action = models.CharField("action", max_length=10, choices=Action.choices, default=Action.VIEW)
    object_type = models.CharField("type d'objet", max_length=100)
    object_id = models.UUIDField("objet")
    # The household's public id: kept as a value so the log outlives the record it is about.
    household_id = models.UUIDField("ménage", null=True, blank=True)
    context = models.CharField("contexte", max_length=200, blank=True)
    # A read by a partner's staff under mandate (privacy/partners.py): the event belongs to the
    # landlord whose data was read (its "who saw this" lists it), and names the partner, which
    # may read the events of its own staff (privacy/rls.py).
    acting_organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation partenaire (mandat)",
    )

    # The partner reads the events of its own staff under mandate.
    rls_extra_condition = "acting_organization_id = core_current_organization_id()"

    objects = OrganizationScopedManager()

    class Meta:
        verbose_name = "consultation de données sensibles"
        verbose_name_plural = "consultations de données sensibles"
        indexes = [
            models.Index(
                fields=["organization", "household_id", "at"], name="access_household_idx"
            ),
            models.Index(fields=["organization", "at"], name="access_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_type} {self.object_id}"


# --- Stored documents (PDFs) ----------------------------------------------------------------------


def document_path(instance: StoredDocument, filename: str) -> str:
    return f"documents/{instance.organization_id}/{instance.public_id}.pdf"


class StoredDocument(OrganizationOwnedModel):
    """A generated document (minutes, letters, reports), stored with its checksum and served
    only by a scoped view to users whose role allows `access_action`."""

    kind = models.CharField("type", max_length=60)
    title = models.CharField("titre", max_length=250)
    file = models.FileField("fichier", upload_to=document_path)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    size = models.PositiveIntegerField("taille (octets)")
    access_action = models.CharField("action requise", max_length=100)
    subject_type = models.CharField("type d'objet", max_length=100, blank=True)
    subject_id = models.UUIDField("objet", null=True, blank=True)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx")]

    def __str__(self) -> str:
        return self.title


# --- Versioned settings ---------------------------------------------------------------------------


class ParameterValue(OrganizationOwnedModel):
    """A value of a versioned setting (core/parameters.py) for an organisation, from a date.

    Rules of the field change with the law (RULES.md): a new version never overwrites the
    old one, so that past decisions are re-computed with the rule of their day.
    """

    key = models.CharField("paramètre", max_length=100)
    value = models.JSONField("valeur")
    valid_from = models.DateField("applicable à partir du")
    legal_reference = models.CharField("référence", max_length=250, blank=True)
    note = models.CharField("commentaire", max_length=250, blank=True)

    class Meta:
        verbose_name = "valeur de paramètre"
        verbose_name_plural = "valeurs de paramètres"
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "key", "valid_from"], name="parameter_unique_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} (dès le {self.valid_from:%d/%m/%Y})"


class DemoLoad(models.Model):
    """Which demo-data providers have run (makes `demo_data` idempotent). Platform table."""

    name = models.CharField(max_length=100, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


# --- The household timeline -----------------------------------------------------------------------


class TimelineEvent(OrganizationOwnedModel):
    """Something that happened to a household, written by the service that did it, in the same
    transaction (core/timeline.py). Never holds confidential notes: only a title and a summary
    any role that can open the household file may read."""

    household = models.ForeignKey(
        "housing.Household",
        on_delete=models.CASCADE,
        related_name="timeline_events",
        verbose_name="ménage",
    )
    at = models.DateTimeField("date")
    category = models.CharField("domaine", max_length=20)
    kind = models.CharField("type", max_length=60)
    title = models.CharField("intitulé", max_length=250)
    summary = models.TextField("résumé", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="par",
    )
    subject_type = models.CharField("type d'objet", max_length=100, blank=True)
    subject_id = models.UUIDField("objet", null=True, blank=True)
    url = models.CharField("lien", max_length=250, blank=True)

    class Meta:
        verbose_name = "événement du parcours"
        verbose_name_plural = "parcours du ménage"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["household", "-at"], name="timeline_household_at_idx")]

    def __str__(self) -> str:
        return self.title
