"""Staff pages of the assistant (``/tro-ly/...``)."""

from django.urls import path

from . import views, views_knowledge

app_name = "assistant"

urlpatterns = [
    path("", views.chat, name="chat"),
    path("hoi-dap/<int:pk>/", views.conversation, name="conversation"),
    path("hoi/", views.ask, name="ask"),
    path("danh-gia/<int:pk>/", views.rate, name="rate"),
    path("kien-thuc/", views_knowledge.knowledge_list, name="knowledge_list"),
    path("kien-thuc/them/", views_knowledge.knowledge_create, name="knowledge_create"),
    path("kien-thuc/<int:pk>/", views_knowledge.knowledge_detail, name="knowledge_detail"),
    path("kien-thuc/<int:pk>/sua/", views_knowledge.knowledge_edit, name="knowledge_edit"),
    path("kien-thuc/<int:pk>/trang-thai/", views_knowledge.knowledge_toggle, name="knowledge_toggle"),
    path("hang-doi/", views_knowledge.queue, name="queue"),
    path("hang-doi/<int:pk>/", views_knowledge.queue_item, name="queue_item"),
]
