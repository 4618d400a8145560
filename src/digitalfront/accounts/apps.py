from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "digitalfront.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"
