from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/active/", views.account_set_active, name="set_active"),
    # a collective's delegate accounts, on the collective's page
    path("collectives/<int:pk>/delegates/", views.delegate_create, name="delegate_create"),
    path("collectives/<int:pk>/delegates/<int:account_id>/active/", views.delegate_set_active,
         name="delegate_set_active"),
]
