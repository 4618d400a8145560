from django.apps import AppConfig


class CongressesConfig(AppConfig):
    name = "digitalfront.congresses"
    label = "congresses"
    verbose_name = "Đại hội Mặt trận"
