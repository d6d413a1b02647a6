"""The password hasher: Argon2id with the parameters OWASP's Password Storage Cheat Sheet gives as its first
recommendation (19 MiB of memory, 2 passes, 1 lane), instead of Django's (100 MiB, 2 passes, 8 lanes).

Django's cost 200 ms of CPU and 100 MiB of memory per sign-in on this platform's 2-core servers: at the deadline,
when hundreds of collectives sign in within minutes, the sign-ins alone queued the other requests for seconds and
each concurrent check held 100 MiB in an app worker (bench/surge.py, docs/benchmarks.md). These parameters take
about 35 ms and still cost an attacker 19 MiB per guess, on top of the sign-in throttling per account and per
address. Hashes made with other parameters (Django's, or PBKDF2) still verify and are re-made with these at the
next successful sign-in (Django's ``must_update``)."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PlatformArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
