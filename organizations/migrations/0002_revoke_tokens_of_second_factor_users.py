"""API tokens used to be issued with the password alone, even to accounts with a second factor
(docs/privacy.md, "Second factor"). Since a token now needs the second factor's code for those
accounts, the tokens they already hold are revoked: they ask for a new one with their code."""

from django.db import migrations


def revoke(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    users = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    Token.objects.filter(user_id__in=users).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
