from api.ratelimit import RateLimiter


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
