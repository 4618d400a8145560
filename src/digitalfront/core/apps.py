import datetime

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digitalfront.core"
    label = "core"
    verbose_name = "Nền tảng"

    def ready(self) -> None:
        from digitalfront.core.scheduler import register
        from digitalfront.core.tasks import prune_task_results

        register("core.prune_task_results", every=datetime.timedelta(hours=24), task=prune_task_results)
