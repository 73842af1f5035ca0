from django import forms
from django.core.exceptions import ValidationError

from core.forms import apply_service_errors, form_error_messages


class _Form(forms.Form):
    name = forms.CharField()


def test_field_errors_go_beside_their_field_and_the_rest_on_top() -> None:
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError({"name": "Nom déjà pris.", "other": "Incohérent."}))
    assert form.errors["name"] == ["Nom déjà pris."]
    assert form.non_field_errors() == ["Incohérent."]


def test_a_plain_error_with_several_messages_shows_each_on_top() -> None:
    form = _Form(data={"name": "x"})
    assert form.is_valid()
    apply_service_errors(form, ValidationError(["Premier motif.", "Second motif."]))
    assert form.non_field_errors() == ["Premier motif.", "Second motif."]


def test_form_error_messages_name_the_field_and_the_reason() -> None:
    form = _Form(data={"name": ""})
    assert not form.is_valid()
    form.add_error(None, "Incohérent.")
    assert form_error_messages(form) == ["Name : Ce champ est obligatoire.", "Incohérent."]
