"""Background work of the sales app (django-tasks; the database queue by default)."""

from django_tasks import task

from . import services


@task()
def run_import(batch_id: int) -> dict:
    batch = services.batch_run(batch_id)
    return services.summary(batch)
