from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "digitalfront.orgs"
    label = "orgs"
    verbose_name = "Cơ sở dữ liệu tổ chức"
