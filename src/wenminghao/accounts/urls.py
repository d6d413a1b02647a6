from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("login/code/", views.sign_in_code, name="login_code"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("2fa/disable/", views.two_factor_disable, name="two_factor_disable"),
    path("", views.account_list, name="list"),
    path("new/", views.account_create, name="create"),
    path("<int:pk>/password/", views.account_reset_password, name="reset_password"),
    path("<int:pk>/active/", views.account_set_active, name="set_active"),
    path("<int:pk>/2fa/reset/", views.account_reset_two_factor, name="reset_two_factor"),
    # a collective's delegate accounts, on the collective's page
    path("collectives/<int:pk>/delegates/", views.delegate_create, name="delegate_create"),
    path("collectives/<int:pk>/delegates/<int:account_id>/active/", views.delegate_set_active,
         name="delegate_set_active"),
]
