"""The auth dependency: quick local checks inline, possibly-blocking ones in a worker thread."""

import asyncio
import threading
from types import SimpleNamespace

import pytest
from fastapi.security import HTTPAuthorizationCredentials

from api.deps import current_user
from api.ratelimit import RateLimiter
from api.security import Principal, VerifiedTokens
from core.errors import Unauthorized


class RecordingVerifier:
    def __init__(self, may_block: bool) -> None:
        self.may_block = may_block
        self.threads: list[int] = []

    def verify(self, token: str) -> Principal:
        self.threads.append(threading.get_ident())
        if token != "good":
            raise Unauthorized("the access token is not valid")
        return Principal(user_id="usr_1", role="applicant")


def _call(verifier, token="good"):
    services = SimpleNamespace(verifier=VerifiedTokens(verifier), user_limiter=RateLimiter(100))
    creds = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token)
    return asyncio.run(current_user(services, creds))


def test_local_tokens_are_checked_on_the_loop_and_network_ones_off_it():
    inline, blocking = RecordingVerifier(False), RecordingVerifier(True)
    assert _call(inline).user_id == "usr_1"
    assert _call(blocking).user_id == "usr_1"
    assert inline.threads == [threading.get_ident()]
    assert blocking.threads and blocking.threads[0] != threading.get_ident()


@pytest.mark.parametrize("may_block", [False, True])
def test_a_bad_token_is_unauthorized_either_way(may_block):
    with pytest.raises(Unauthorized):
        _call(RecordingVerifier(may_block), token="bad")
