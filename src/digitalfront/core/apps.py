from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "digitalfront.core"
    label = "core"
    verbose_name = "Nền tảng"
