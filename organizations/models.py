from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

from core.context import UnscopedQueryError, current_user_id
from core.models import OrganizationOwnedModel, OrganizationScopedManager, TimestampedModel
from organizations.enums import OrganizationKind, Role


class Organization(TimestampedModel):
    """A landlord (or a partner association) using Parcours: the software's customer."""

    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=OrganizationKind.choices)
    siren = models.CharField(
        "SIREN",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^\d{9}$", "Le SIREN compte exactement 9 chiffres.")],
    )
    slug = models.SlugField("identifiant court", max_length=60, unique=True)
    require_second_factor = models.BooleanField(
        "second facteur obligatoire pour les rôles lisant les notes sociales", default=False
    )

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Territory(OrganizationOwnedModel):
    """A part of an organisation's stock (agence, territoire), e.g. "Lorraine"."""

    name = models.CharField("nom", max_length=120)
    communes = models.JSONField(
        "communes (codes INSEE)", default=list, blank=True, help_text="Codes INSEE à 5 caractères."
    )

    class Meta:
        verbose_name = "territoire"
        verbose_name_plural = "territoires"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="territory_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(DjangoBaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("Une adresse e-mail est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. Their rights come from their memberships, per organisation;
    `is_staff` / `is_superuser` are for platform staff (Django admin) only."""

    public_id = models.UUIDField(
        "identifiant public", default=uuid.uuid4, unique=True, editable=False
    )
    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("équipe plateforme", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class MembershipOfUserManager(models.Manager["Membership"]):
    """The current user's own memberships, across organisations (to pick the organisation)."""

    def get_queryset(self) -> models.QuerySet[Membership]:
        user_id = current_user_id()
        if user_id is None:
            raise UnscopedQueryError("Membership.of_current_user needs a current user.")
        return super().get_queryset().filter(user_id=user_id)


class Membership(OrganizationOwnedModel):
    """A user's role in one organisation, optionally narrowed to some territories."""

    # RLS: a user also reads their own memberships in other organisations (to switch).
    rls_extra_condition = "user_id = core_current_user_id()"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name="utilisateur"
    )
    role = models.CharField("rôle", max_length=30, choices=Role.choices)
    territories = models.ManyToManyField(
        Territory,
        through="MembershipTerritory",
        blank=True,
        related_name="memberships",
        verbose_name="territoires",
    )
    is_active = models.BooleanField("active", default=True)

    objects = OrganizationScopedManager()
    of_current_user = MembershipOfUserManager()

    class Meta:
        verbose_name = "appartenance"
        verbose_name_plural = "appartenances"
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="membership_unique_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


class MembershipTerritory(OrganizationOwnedModel):
    """Through table: a membership narrowed to a territory (carries its organisation for RLS)."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "territoire d'une appartenance"
        verbose_name_plural = "territoires des appartenances"
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "territory"], name="membership_territory_unique"
            ),
        ]
