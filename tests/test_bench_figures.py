"""The delivery benchmarks' arithmetic (the benchmarks themselves are run by hand)."""

from __future__ import annotations

from bench._figures import most_in_a_second, percentile, ratio


def test_most_sends_in_any_one_second_slides_over_the_times() -> None:
    assert most_in_a_second([]) == 0
    assert most_in_a_second([0.0, 0.5, 0.99, 1.0, 1.2, 3.0]) == 4  # 0.5, 0.99, 1.0, 1.2


def test_percentiles_and_ratios() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 51.0
    assert percentile(values, 0.99) == 100.0
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(1.0, 0.0) is None
