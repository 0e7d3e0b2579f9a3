from django.urls import path

from huiwen.reader import search

app_name = "search"

urlpatterns = [
    path("search", search.search, name="search"),
]
