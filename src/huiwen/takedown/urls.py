from django.urls import path

from huiwen.takedown import views

app_name = "takedown"

urlpatterns = [
    path("takedown/", views.notice, name="notice"),
    path("takedown/<str:reference>/", views.received, name="received"),
    path("takedown/<str:reference>/counter/", views.counter, name="counter"),
    path("takedown/evidence/<int:pk>/", views.evidence, name="evidence"),
    path("transparency/", views.transparency, name="transparency"),
]
