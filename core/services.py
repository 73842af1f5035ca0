from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest

from core.models import AccessEvent, StoredDocument


def access_log(
    *,
    request: HttpRequest,
    obj: Any,
    household_id: uuid.UUID | None = None,
    context: str = "",
    action: str = AccessEvent.Action.VIEW,
) -> AccessEvent:
    """Record that the current user displayed or exported sensitive data (CNIL: consultation
    of social data is logged with its author and time). Views call it for every display of
    social notes, evaluations, disability information and the household file."""
    return AccessEvent.objects.create(
        organization=request.organization,  # type: ignore[attr-defined]
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
) -> None:
    """One row per object, in one query (lists of notes, exports)."""
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(  # type: ignore[misc]  # views require a logged-in user
                organization=request.organization,  # type: ignore[attr-defined]
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
