from django.urls import path

from . import views

urlpatterns = [
    path("", views.seller_registration, name="seller_registration"),
    path("registered/", views.seller_registration_sent, name="seller_registration_sent"),
    path("application/", views.seller_application, name="seller_application"),
    path("invitation/<str:token>/", views.seller_invitation, name="seller_invitation"),
]
