from django.urls import path

from digitalfront.orgs import views

app_name = "orgs"
urlpatterns = [path("", views.home, name="home")]
