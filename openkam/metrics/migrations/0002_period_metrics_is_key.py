from django.db import migrations, models


def fill_from_current_status(apps, schema_editor):
    """Snapshots stored before the flag read the accounts' current status: keep that answer
    until they are recomputed (`kam analyze --as-of DATE`)."""
    rows = apps.get_model("metrics", "AccountPeriodMetrics")
    rows.objects.filter(account__status="key").update(is_key=True)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accountperiodmetrics",
            name="is_key",
            field=models.BooleanField(
                default=False,
                help_text="A key account on the snapshot's date, by the nomination decisions.",
                verbose_name="key account then",
            ),
        ),
        migrations.RunPython(fill_from_current_status, migrations.RunPython.noop),
    ]
