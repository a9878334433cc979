from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("catalogus/prijzen", views.reference_prices, name="reference-prices"),
]
