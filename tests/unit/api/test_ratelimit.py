from api.ratelimit import LoginThrottle, RateLimiter


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_budget_per_key_and_sliding_window():
    clock = Clock()
    limiter = RateLimiter(3, now=clock)
    assert [limiter.hit("a") for _ in range(4)] == [0, 0, 0, 60]
    assert limiter.hit("b") == 0  # keys are independent
    clock.t = 60.0  # next minute: the previous minute still weighs in fully at its start
    assert limiter.hit("a") > 0
    clock.t = 100.0  # two thirds through: 3 * (1 - 40/60) = 1 earlier request counts
    assert [limiter.hit("a") for _ in range(3)] == [0, 0, 20]
    clock.t = 240.0  # an idle minute later, the budget is whole again
    assert [limiter.hit("a") for _ in range(3)] == [0, 0, 0]


def test_login_throttle_locks_after_free_failures_and_doubles():
    clock = Clock()
    throttle = LoginThrottle(3, base_seconds=30, max_seconds=100, now=clock)
    for _ in range(2):
        throttle.failed("ada")
        assert throttle.retry_after("ada") == 0  # the first failures are free
    throttle.failed("ada")
    assert throttle.retry_after("ada") == 30
    assert throttle.retry_after("bob") == 0  # keys are independent
    clock.t = 30.0
    assert throttle.retry_after("ada") == 0
    throttle.failed("ada")  # a fourth failure doubles the wait
    assert throttle.retry_after("ada") == 60
    clock.t = 90.0
    throttle.failed("ada")
    assert throttle.retry_after("ada") == 100  # capped
    throttle.succeeded("ada")
    assert throttle.retry_after("ada") == 0
