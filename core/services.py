from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest

from core.models import AccessEvent, StoredDocument


def _owner_and_actor(request: HttpRequest, owner_organization_id: int | None) -> dict[str, Any]:
    organization = request.organization  # type: ignore[attr-defined]
    if owner_organization_id is None or owner_organization_id == organization.pk:
        return {"organization": organization}
    return {"organization_id": owner_organization_id, "acting_organization": organization}


def access_log(
    *,
    request: HttpRequest,
    obj: Any,
    household_id: uuid.UUID | None = None,
    context: str = "",
    action: str = AccessEvent.Action.VIEW,
    owner_organization_id: int | None = None,
) -> AccessEvent:
    """Record that the current user displayed or exported sensitive data (CNIL: consultation
    of social data is logged with its author and time). Views call it for every display of
    social notes, evaluations, disability information and the household file.

    `owner_organization_id`: the data belongs to another organisation, read by a partner's
    staff under its mandate (privacy/partners.py). The event then goes to the owner's log
    (the controller must know who saw its data), naming the partner organisation."""
    return AccessEvent.objects.create(
        **_owner_and_actor(request, owner_organization_id),
        user=request.user,
        action=action,
        object_type=obj._meta.label,
        object_id=obj.public_id,
        household_id=household_id,
        context=context[:200] or request.path[:200],
    )


def access_log_many(
    *,
    request: HttpRequest,
    objects: list[Any],
    household_id_of: Any = None,
    context: str = "",
    action: str = AccessEvent.Action.VIEW,
    owner_organization_id_of: Any = None,
) -> None:
    """One row per object, in one query (lists of notes, exports). `owner_organization_id_of`:
    for reads under mandate, the organisation owning each object (see access_log)."""
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(  # type: ignore[misc]  # views require a logged-in user
                **_owner_and_actor(
                    request, owner_organization_id_of(obj) if owner_organization_id_of else None
                ),
                user=request.user,
                action=action,
                object_type=obj._meta.label,
                object_id=obj.public_id,
                household_id=household_id_of(obj) if household_id_of else None,
                context=(context or request.path)[:200],
            )
            for obj in objects
        ]
    )


@transaction.atomic
def document_store(
    *,
    organization: Any,
    kind: str,
    title: str,
    content: bytes,
    access_action: str,
    created_by: Any = None,
    subject: Any = None,
) -> StoredDocument:
    """Store a generated PDF with its SHA-256, readable only by roles allowed `access_action`."""
    document = StoredDocument(
        organization=organization,
        kind=kind,
        title=title[:250],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        access_action=access_action,
        subject_type=subject._meta.label if subject is not None else "",
        subject_id=subject.public_id if subject is not None else None,
        created_by=created_by,
        updated_by=created_by,
    )
    document.file.save(f"{document.public_id}.pdf", ContentFile(content), save=False)
    document.save()
    return document
