from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "digitalfront.assistant"
    label = "assistant"
    verbose_name = "Trợ lý ảo"
