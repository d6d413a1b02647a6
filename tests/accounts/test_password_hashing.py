"""Passwords are hashed with Argon2id at OWASP's parameters (accounts.hashers), and a hash made with Django's own
Argon2 parameters still signs in and is re-made with ours (the deployment's existing accounts)."""

import argon2
import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

from tests import factories
from wenminghao import settings as project_settings
from wenminghao.core.roles import Role


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS  # the platform's, not the tests' fast MD5


def parameters(encoded: str) -> argon2.Parameters:
    return argon2.extract_parameters("$" + encoded.split("$", 1)[1])


def test_new_passwords_use_owasps_argon2id_parameters(db, real_hashers):
    user = factories.account(username="hc_new", role=Role.JUDGE, password="wenming2018")
    found = parameters(user.password)
    assert user.password.startswith("argon2$argon2id$")
    assert (found.memory_cost, found.time_cost, found.parallelism) == (19 * 1024, 2, 1)
    assert user.check_password("wenming2018") and not user.check_password("wenming2019")


def test_an_older_argon2_hash_signs_in_and_is_upgraded(db, real_hashers, client):
    user = factories.account(username="hc_old", role=Role.JUDGE)
    user.password = Argon2PasswordHasher().encode("wenming2018", Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert parameters(user.password).memory_cost == Argon2PasswordHasher.memory_cost  # Django's 100 MiB
    response = client.post("/accounts/login/", {"login": "hc_old", "password": "wenming2018"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert parameters(user.password).memory_cost == 19 * 1024
