"""Closed forms for the M/M/c queue (Erlang C), the yardstick for the simulation engines.

With arrival rate λ, service rate μ per server and c servers, offered load a = λ/μ and
utilisation ρ = a/c < 1:

* probability of waiting C(c, a) = (a^c / c!) / ((1 - ρ) Σ_{k<c} a^k/k! + a^c/c!);
* mean wait Wq = C / (cμ - λ), mean number waiting Lq = λ Wq (Little);
* P(W > t) = C e^{-(cμ - λ) t}, so the p-quantile of the wait is ln(C / (1 - p)) / (cμ - λ)
  when C > 1 - p, else 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


class UnstableQueueError(ValueError):
    """The queue has no steady state: λ >= cμ."""


@dataclass(frozen=True)
class ErlangC:
    arrival_rate: float
    service_rate: float
    servers: int

    def __post_init__(self) -> None:
        if self.arrival_rate <= 0 or self.service_rate <= 0 or self.servers < 1:
            raise ValueError("arrival_rate and service_rate must be > 0, servers >= 1")
        if self.arrival_rate >= self.servers * self.service_rate:
            raise UnstableQueueError(
                f"arrival rate {self.arrival_rate} >= capacity "
                f"{self.servers * self.service_rate}: no steady state"
            )

    @property
    def utilisation(self) -> float:
        return self.arrival_rate / (self.servers * self.service_rate)

    @property
    def prob_wait(self) -> float:
        a = self.arrival_rate / self.service_rate
        c = self.servers
        # Summed in log space so that large c does not overflow.
        log_terms = [k * math.log(a) - math.lgamma(k + 1) for k in range(c)]
        log_top = c * math.log(a) - math.lgamma(c + 1) - math.log(1 - self.utilisation)
        peak = max(*log_terms, log_top)
        below = sum(math.exp(x - peak) for x in log_terms)
        top = math.exp(log_top - peak)
        return top / (below + top)

    @property
    def mean_wait(self) -> float:
        return self.prob_wait / (self.servers * self.service_rate - self.arrival_rate)

    @property
    def mean_in_queue(self) -> float:
        return self.arrival_rate * self.mean_wait

    def wait_quantile(self, p: float) -> float:
        c_wait = self.prob_wait
        if c_wait <= 1 - p:
            return 0.0
        return math.log(c_wait / (1 - p)) / (self.servers * self.service_rate - self.arrival_rate)

    def as_dict(self) -> dict[str, float]:
        return {
            "mean_wait": self.mean_wait,
            "mean_in_queue": self.mean_in_queue,
            "utilisation": self.utilisation,
            "p90_wait": self.wait_quantile(0.9),
        }
