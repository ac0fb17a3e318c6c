"""Password hashes: scrypt (memory-hard, in the standard library) with a random salt per user.

The stored string carries its parameters (``scrypt$N$r$p$salt$digest``), so a hash verifies
whatever cost new hashes are made with, and a sign-in can tell that a stored hash is cheaper than
today's cost and store a new one (``needs_rehash``). New hashes use the OWASP setting
(N = 2^17, r = 8, p = 1: about 128 MiB and a few tenths of a second a hash).

Hashing is slow on purpose: call it outside any write transaction (it would hold SQLite's write
lock for that long).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ScryptCost:
    n: int
    r: int
    p: int

    @property
    def maxmem(self) -> int:
        """The memory scrypt needs at this cost (128·r·(N + p + 2) bytes), with room to spare:
        the standard library's default limit (32 MiB) is below the OWASP setting's 128 MiB."""
        return 128 * self.r * (self.n + self.p + 2) + 1024 * 1024


PRODUCTION_SCRYPT_COST = ScryptCost(n=2**17, r=8, p=1)
# The cost of new hashes. Only the test suite lowers it (tests/conftest.py): nothing in app/ or
# ui/ sets it, and no setting or environment variable reaches it.
scrypt_cost = PRODUCTION_SCRYPT_COST
# A stored hash asking for more than this is refused unread (a forged row must not make every
# sign-in allocate gigabytes).
MAX_STORED_COST = ScryptCost(n=2**20, r=16, p=4)


def _scrypt(password: str, salt: bytes, cost: ScryptCost, dklen: int = 64) -> bytes:
    return hashlib.scrypt(
        password.encode(),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.maxmem,
        dklen=dklen,
    )


def hash_password(password: str, cost: ScryptCost | None = None) -> str:
    """A new hash at today's cost (``cost``: only the demo's replay asks for less, for a
    password everyone knows, and puts the real hash back: ``app.demo.people.quick_signatures``)."""
    cost = cost or scrypt_cost
    salt = os.urandom(16)
    digest = _scrypt(password, salt, cost)
    encode = base64.b64encode
    return f"scrypt${cost.n}${cost.r}${cost.p}${encode(salt).decode()}${encode(digest).decode()}"


def stored_cost(stored: str) -> ScryptCost | None:
    """The cost a stored hash was made with; None when it is not a scrypt hash that reads."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return None
    try:
        cost = ScryptCost(n=int(parts[1]), r=int(parts[2]), p=int(parts[3]))
    except ValueError:
        return None
    if cost.n < 2 or cost.n & (cost.n - 1) or cost.r < 1 or cost.p < 1:
        return None
    if cost.n > MAX_STORED_COST.n or cost.r > MAX_STORED_COST.r or cost.p > MAX_STORED_COST.p:
        return None
    return cost


def verify_password(password: str, stored: str) -> bool:
    cost = stored_cost(stored)
    if cost is None:
        return False
    _, _, _, _, salt, digest = stored.split("$")
    try:
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
    except ValueError:
        return False
    if not expected:
        return False
    actual = _scrypt(password, salt_bytes, cost, dklen=len(expected))
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    """True when the stored hash is cheaper than today's cost in any parameter."""
    cost = stored_cost(stored)
    current = scrypt_cost
    return cost is None or cost.n < current.n or cost.r < current.r or cost.p < current.p


@functools.cache
def _dummy_hash(cost: ScryptCost) -> str:
    return hash_password("no such user")


def dummy_hash() -> str:
    """A hash to check an unknown user's password against, so that a refusal for a name that does
    not exist takes as long as one for a wrong password. Made once per cost, not per sign-in."""
    return _dummy_hash(scrypt_cost)
