from django.apps import AppConfig


class AiConfig(AppConfig):
    name = "digitalfront.ai"
    label = "ai"
    verbose_name = "Trí tuệ nhân tạo"
