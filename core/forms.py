"""Form plumbing shared by every app's pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def form_error_messages(form: Any) -> list[str]:
    """A form's errors as sentences naming their field ("Date : Saisissez une date valide."),
    for the small forms of a page that redirect back and report through page messages."""
    found = []
    for field, errors in form.errors.items():
        label = form[field].label if field in form.fields else None
        for message in errors:
            found.append(f"{label} : {message}" if label else str(message))
    return found


def apply_service_errors(form: Any, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: each message beside its field when the form
    has that field, otherwise at the top of the form (announced as an alert)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)
