from django.db import migrations

# The kinds of contact DOMAIN.md names, entertainment apart (it counts in the time split).
KINDS = [
    ("meeting", "Meeting", False, 10),
    ("call", "Call", False, 20),
    ("email", "E-mail", False, 30),
    ("visit", "Visit", False, 40),
    ("business_review", "Business review (QBR)", False, 50),
    ("dinner", "Dinner", True, 60),
    ("golf", "Golf", True, 70),
    ("trip", "Trip", True, 80),
    ("event", "Event", True, 90),
    ("other", "Other", False, 100),
]


def create_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    for code, name, entertainment, order in KINDS:
        ActivityKind.objects.update_or_create(
            code=code, defaults={"name": name, "is_entertainment": entertainment, "order": order}
        )


def remove_kinds(apps, schema_editor):
    ActivityKind = apps.get_model("activities", "ActivityKind")
    ActivityKind.objects.filter(code__in=[code for code, *_ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
