from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "digitalfront.library"
    label = "library"
    verbose_name = "Thư viện số cộng đồng"
