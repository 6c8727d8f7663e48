from django.db import migrations

# The departments a KAM must reach at a customer (DOMAIN.md, "Reaching everyone").
KINDS = [
    ("buying", "Merchandising / buying", 10),
    ("operations", "Operations", 20),
    ("marketing", "Marketing", 30),
    ("finance", "Finance", 40),
    ("it", "IT", 50),
    ("management", "Management", 60),
    ("other", "Other", 90),
]


def create_kinds(apps, schema_editor):
    DepartmentKind = apps.get_model("stakeholders", "DepartmentKind")
    for code, name, order in KINDS:
        DepartmentKind.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def remove_kinds(apps, schema_editor):
    DepartmentKind = apps.get_model("stakeholders", "DepartmentKind")
    DepartmentKind.objects.filter(code__in=[code for code, _, _ in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("stakeholders", "0001_initial")]

    operations = [migrations.RunPython(create_kinds, remove_kinds)]
