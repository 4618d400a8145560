"""Citizens' pages: sending a case, following it (``/phan-anh/...``)."""

from django.urls import path

from .views import citizen

app_name = "feedback"

urlpatterns = [
    path("gui/", citizen.submit, name="submit"),
    path("gui/xa/", citizen.communes, name="communes"),
    path("da-gui/<str:code>/", citizen.submitted, name="submitted"),
    path("theo-doi/<str:code>/", citizen.track, name="track"),
    path("theo-doi/<str:code>/danh-gia/", citizen.rate, name="rate"),
    path("theo-doi/<str:code>/mo-lai/", citizen.reopen, name="reopen"),
    path("tra-cuu/", citizen.lookup, name="lookup"),
    path("cua-toi/", citizen.mine, name="mine"),
]
