"""The chain simulation: people through IND, courts, COA, municipalities and departure.

One object advances every replication at once, one step (a week, or a day) at a time. Each stock
is a :class:`CohortQueue` (first in, first out, with the age of everyone known) or a
:class:`Pipeline` (exit time fixed on entry); random numbers are drawn per stock, never per
person. Everything is counted in integers and every flow moves people from one stock to another
or across the boundary, so ``stock at the end = stock at the start + inflow - outflow`` holds
exactly in every replication (:class:`Ledger`).

Order within a step: arrivals, Dublin, IND decisions, courts, nareis, housing, departures.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import numpy.typing as npt

from keten.forecast import terms
from keten.forecast.metrics import FLOWS, STOCKS
from keten.forecast.scenario import Backlog, Band, DatedPoint, Scenario, band_at, value_at
from keten.forecast.stocks import (
    CohortQueue,
    IntArray,
    Pipeline,
    allocate_capacity,
    split_proportional,
)
from keten.time.periods import add_months

FloatArray = npt.NDArray[np.float64]
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class Timeline:
    start: date
    end: date
    step_days: int
    n_steps: int
    n_months: int
    step_month: IntArray  # month index of each step (by its middle day)
    month_end_step: IntArray  # last step of each month
    step_mid: list[date]

    @classmethod
    def build(cls, start: date, years: int, step_days: int) -> Timeline:
        end = add_months(start, 12 * years).end
        n_steps = math.ceil((end - start).days / step_days)
        mids = [start + timedelta(days=t * step_days + step_days // 2) for t in range(n_steps)]
        n_months = 12 * years
        month = np.array(
            [(d.year - start.year) * 12 + d.month - start.month for d in mids], dtype=np.int64
        )
        month = np.clip(month, 0, n_months - 1)
        month_end = np.zeros(n_months, dtype=np.int64)
        for t, m in enumerate(month):
            month_end[m] = t
        return cls(start, end, step_days, n_steps, n_months, month, month_end, mids)

    def months(self) -> list[date]:
        return [add_months(self.start, m).end for m in range(self.n_months)]

    def steps(self, weeks: float) -> int:
        return max(0, round(weeks * 7 / self.step_days))

    def per_step(self, per_year: float) -> float:
        return per_year * self.step_days / DAYS_PER_YEAR


@dataclass
class Ledger:
    """Inflow, outflow and stock per replication: the conservation check."""

    stock_start: IntArray
    stock_end: IntArray
    inflow: IntArray
    outflow: IntArray

    def balanced(self) -> npt.NDArray[np.bool_]:
        return np.asarray(self.stock_end == self.stock_start + self.inflow - self.outflow)


@dataclass
class ChainRun:
    """Monthly results of ``runs`` replications of one scenario."""

    scenario: Scenario
    runs: int
    seed: int
    months: list[date]
    flows: dict[str, FloatArray]
    stocks: dict[str, FloatArray]
    ledger: Ledger
    seconds: float = 0.0
    half_years: list[date] = field(default_factory=list)

    @staticmethod
    def concat(parts: list[ChainRun]) -> ChainRun:
        first = parts[0]
        return ChainRun(
            scenario=first.scenario,
            runs=sum(p.runs for p in parts),
            seed=first.seed,
            months=first.months,
            flows={k: np.concatenate([p.flows[k] for p in parts]) for k in first.flows},
            stocks={k: np.concatenate([p.stocks[k] for p in parts]) for k in first.stocks},
            ledger=Ledger(
                *(
                    np.concatenate([getattr(p.ledger, f) for p in parts])
                    for f in ("stock_start", "stock_end", "inflow", "outflow")
                )
            ),
        )


def _spread_backlog(backlog: Backlog, step_days: int) -> tuple[IntArray, int]:
    """Counts per age in steps (index = age) for a backlog with an age profile."""
    max_age = max(math.ceil(row[1] * 7 / step_days) for row in backlog.age_weeks)
    weights = np.zeros(max_age + 1)
    for lo_w, hi_w, share in backlog.age_weeks:
        lo = math.floor(lo_w * 7 / step_days)
        hi = max(lo + 1, math.ceil(hi_w * 7 / step_days))
        weights[lo:hi] += share / (hi - lo)
    counts = split_proportional(np.array([backlog.total]), weights[None, :])[0]
    return counts, max_age + 1


class _Chain:
    def __init__(self, sc: Scenario, runs: int, rng: np.random.Generator) -> None:
        self.sc = sc
        self.R = runs
        self.rng = rng
        tl = Timeline.build(sc.start, sc.years, sc.step_days)
        self.tl = tl
        n_steps = tl.n_steps
        n_groups = len(sc.groups)
        self.G = n_groups
        self.S = 2 * n_groups
        dt = sc.step_days

        # -- parameters per step (dated paths at each step's middle day) --------------------
        def path(points: list[DatedPoint]) -> FloatArray:
            return np.array([value_at(points, d) for d in tl.step_mid])

        self.staff = path(sc.ind.asylum_staff_fte)
        self.index = path(sc.ind.productivity_index)
        self.nareis_cap = path(sc.ind.nareis_decisions_per_year)
        self.court_cap = path(sc.appeal.court_decisions_per_year)
        self.resettle = path(sc.inflow.resettlement_per_year)
        self.regular = path(sc.reception.regular_capacity)
        self.emergency = path(sc.reception.emergency_capacity)
        self.places = path(sc.detention.places)
        self.housing_cap = path(sc.housing.housed_per_half_year)
        pact = sc.ind.pact_prioritisation_from
        self.pact = np.array([pact is not None and d >= pact for d in tl.step_mid])
        # Cases lodged under the Pact (from 12 June 2026) are the only ones it prioritises.
        self.under_pact = np.array([d >= terms.PACT_START for d in tl.step_mid])
        law = sc.emergency_measures_act
        self.act = np.array([law.in_force is not None and d >= law.in_force for d in tl.step_mid])
        self.year = np.array([d.year - sc.start.year for d in tl.step_mid], dtype=np.int64)
        n_years = int(self.year.max()) + 1

        # -- random per replication-year: inflow level and realised productivity ------------
        def yearly(bands: list[Band]) -> FloatArray:
            out = np.empty((runs, n_years))
            for y in range(n_years):
                b = band_at(bands, date(sc.start.year + y, 7, 1))
                if b.high > b.low:
                    out[:, y] = rng.triangular(b.low, b.mid, b.high, size=runs)
                else:
                    out[:, y] = b.mid
            return out

        self.first_per_year = yearly(sc.inflow.first_applications)
        self.repeat_per_year = yearly(sc.inflow.repeated_applications)
        sd = sc.ind.productivity_sd
        self.noise = (
            rng.lognormal(-0.5 * sd * sd, sd, size=(runs, n_years))
            if sd > 0
            else (np.ones((runs, n_years)))
        )

        # -- groups and streams (stream s = 2 g + p; p = 0 priority, 1 other) ---------------
        gs = sc.groups
        self.share = np.array([g.share for g in gs])
        self.dublin_share = np.array([g.dublin_share for g in gs])
        self.prio_share = np.array([g.priority_share for g in gs])
        rec = np.array([g.recognition_rate for g in gs])
        ref = np.array([g.refugee_share for g in gs])
        wd = np.array([g.withdrawn_rate for g in gs])
        outcome = np.stack([rec * ref, rec * (1 - ref), 1 - rec - wd, wd], axis=1)
        self.outcome = np.repeat(outcome, 2, axis=0)  # (S, 4)
        self.is_prio = np.tile(np.array([True, False]), n_groups)

        # -- terms (keten.time via terms.py) --------------------------------------------------
        self.dep_steps = max(1, tl.steps(terms.weeks(terms.DEPARTURE_PERIOD)))
        # COA matches in two weeks (seed 001); the municipality then needs time to find a home.
        self.match_steps = max(
            tl.steps(terms.weeks(terms.MATCHING_NORM)), tl.steps(sc.housing.min_weeks)
        )
        self.claim_steps = tl.steps(sc.dublin.claim_weeks)
        self.dub6 = terms.term_steps(terms.DUBLIN_TRANSFER, sc.start, n_steps, dt)
        self.dub18 = terms.term_steps(terms.DUBLIN_TRANSFER_ABSCONDED, sc.start, n_steps, dt)
        self.transfer_steps = max(1, tl.steps(sc.dublin.transfer_weeks))
        self.abscond_steps = max(1, tl.steps(sc.dublin.abscond_weeks))
        self.ind_min = tl.steps(sc.ind.min_weeks)
        self.court_min = tl.steps(sc.appeal.min_weeks)

        # -- stocks ---------------------------------------------------------------------------
        ist = sc.initial_state
        ind_ages, ind_hist = _spread_backlog(ist.ind_waiting, dt)
        court_ages, court_hist = _spread_backlog(ist.court_waiting, dt)
        nar_ages, nar_hist = _spread_backlog(ist.nareis_waiting, dt)
        house_ages, house_hist = _spread_backlog(ist.permit_holders_waiting, dt)
        self.ind = CohortQueue(runs, self.S, n_steps, history=ind_hist)
        self.court = CohortQueue(runs, self.S, n_steps, history=court_hist)
        self.nareis = CohortQueue(runs, 1, n_steps, history=nar_hist)
        self.housing = CohortQueue(runs, 1, n_steps, history=house_hist, window=24)
        # The backlog at the start was lodged before the Pact: no stream has priority yet.
        regular = np.where(self.is_prio, 0.0, self.share.repeat(2))
        self._seed_queue(self.ind, ind_ages, regular)
        self._seed_queue(self.court, court_ages, regular)
        self._seed_queue(self.nareis, nar_ages, np.ones(1))
        self._seed_queue(self.housing, house_ages, np.ones(1))

        term = terms.asylum_decision_term(sc.ind.decision_term_months)
        n_coh = self.ind.n_cohorts
        ind_term = terms.term_steps(term, sc.start, n_coh, dt, first_step=-ind_hist)
        # The last step in which a decision on cohort c is on time.
        self.ind_deadline = np.arange(n_coh) - ind_hist + ind_term
        self.ind_deadline = np.concatenate(
            [self.ind_deadline, np.full(self.ind.window, np.iinfo(np.int64).max)]
        )
        norm_steps = tl.steps(terms.weeks(terms.OUTFLOW_NORM))
        self.house_entry = np.arange(self.housing.counts.shape[2]) - house_hist
        self.norm_steps = norm_steps
        self._dwangsom_setup()

        act = sc.emergency_measures_act
        long = 2 + max(
            int(self.dub18.max()) + self.abscond_steps,
            self.claim_steps,
            self.dep_steps,
            tl.steps(sc.nareis.travel_weeks),
            tl.steps(sc.nareis.lodge_weeks) + tl.steps(act.subsidiary_wait_years * 52.18),
        )
        self.claim = Pipeline(runs, n_groups, n_steps, long)
        self.transfer = Pipeline(runs, n_groups, n_steps, long)
        self.abscond = Pipeline(runs, n_groups, n_steps, long)
        self.expire = Pipeline(runs, n_groups, n_steps, long)
        self.untraced_wait = Pipeline(runs, n_groups, n_steps, long)
        self.departure = Pipeline(runs, 1, n_steps, long)
        self.travel = Pipeline(runs, 1, n_steps, long)
        self.nareis_future = Pipeline(runs, 1, n_steps, long)  # applications not yet lodged
        self.extensions = Pipeline(runs, 1, n_steps, long)  # workload, not people
        self.ext_work = np.zeros(runs)
        self.returns = np.full(runs, ist.return_caseload, dtype=np.int64)
        # The Dublin claimants present at the start are decided over the first claim period.
        dub_w = self.share * self.dublin_share
        per_group = split_proportional(np.array([ist.dublin_in_reception]), dub_w[None, :])[0]
        spread = max(1, self.claim_steps)
        for g in range(n_groups):
            parts = split_proportional(np.array([per_group[g]]), np.ones((1, spread)))[0]
            for k in range(spread):
                n = np.zeros((runs, n_groups), dtype=np.int64)
                n[:, g] = parts[k]
                self.claim.schedule(k, n)

        self.flows = {k: np.zeros((runs, tl.n_months)) for k in FLOWS}
        self.stocks = {k: np.zeros((runs, tl.n_months)) for k in STOCKS}
        self.inflow = np.zeros(runs, dtype=np.int64)
        self.outflow = np.zeros(runs, dtype=np.int64)
        self.stock_start = self.stock_total()

    # -- helpers -------------------------------------------------------------------------------

    def _seed_queue(self, queue: CohortQueue, ages: IntArray, w: FloatArray) -> None:
        for age, n in enumerate(ages):
            if n == 0:
                continue
            split = split_proportional(np.array([n]), w[None, :])[0]
            c = queue.offset - age
            queue.counts[:, :, c] += split
            queue.total += split
        nz = queue.counts[0].sum(axis=0).nonzero()[0]
        queue.head[:] = int(nz[0]) if nz.size else queue.offset

    def _dwangsom_setup(self) -> None:
        """Euros per overdue case in each step of the dwangsom period."""
        sc, dt = self.sc, self.sc.step_days
        regime = terms.asylum_dwangsom_regime(sc.start)
        self.dwangsom_regime = regime
        if regime.runs:
            # Statutory Awb 4:17 bands: 14 days at 23, 14 at 35, then 45, at most 42 days.
            per_day = np.array([23] * 14 + [35] * 14 + [45] * 14, dtype=np.float64)
        else:
            days = int(sc.dwangsom.max_eur // max(sc.dwangsom.eur_per_day, 1e-9))
            per_day = np.full(days, sc.dwangsom.eur_per_day)
        n = math.ceil(per_day.size / dt)
        padded = np.zeros(n * dt)
        padded[: per_day.size] = per_day
        self.dw_amounts = padded.reshape(n, dt).sum(axis=1) * sc.dwangsom.share_pursued
        self.dw_start = self.tl.steps(sc.dwangsom.start_weeks_after_term)

    def stock_total(self) -> IntArray:
        total = (
            self.ind.total.sum(1)
            + self.court.total.sum(1)
            + self.nareis.total.sum(1)
            + self.housing.total.sum(1)
            + self.returns
        )
        for p in (
            self.claim,
            self.transfer,
            self.abscond,
            self.expire,
            self.untraced_wait,
            self.departure,
            self.travel,
        ):
            total = total + p.total.sum(1)
        return np.asarray(total)

    def _to_streams(self, per_group: IntArray, t: int) -> IntArray:
        """Split new IND cases over streams: minors and families lodged under the Pact first."""
        out = np.zeros((self.R, self.S), dtype=np.int64)
        if not self.under_pact[t]:
            out[:, 1::2] = per_group
            return out
        prio = self.rng.binomial(per_group, self.prio_share)
        out[:, 0::2] = prio
        out[:, 1::2] = per_group - prio
        return out

    def _flow(self, name: str, m: int, value: IntArray | FloatArray) -> None:
        self.flows[name][:, m] += value

    # -- one step ------------------------------------------------------------------------------

    def step(self, t: int) -> None:
        sc, tl, rng, runs = self.sc, self.tl, self.rng, self.R
        m = int(tl.step_month[t])
        y = int(self.year[t])
        f = self._flow
        out_before = self.outflow.copy()

        # Arrivals: first applications by group (Dublin or national track), repeated, resettled.
        mean_first = (self.first_per_year[:, y] * tl.per_step(1.0))[:, None] * self.share
        first = rng.poisson(mean_first)
        dublin = rng.binomial(first, self.dublin_share)
        self.claim.schedule(t + self.claim_steps, dublin)
        mean_rep = (self.repeat_per_year[:, y] * tl.per_step(1.0))[:, None] * self.share
        repeated = rng.poisson(mean_rep)
        self.ind.add(t, self._to_streams(first - dublin + repeated, t))
        resettled = rng.poisson(tl.per_step(self.resettle[t]), size=runs)
        self.housing.add(t, resettled[:, None])
        lodged = self.nareis_future.release(t)
        self.nareis.add(t, lodged)
        arrivals = first.sum(1) + repeated.sum(1) + resettled + lodged[:, 0]
        self.inflow += arrivals
        f("first_applications", m, first.sum(1))
        f("repeated_applications", m, repeated.sum(1))
        f("resettled", m, resettled)
        f("dublin_claims", m, dublin.sum(1))
        f("nareis_lodged", m, lodged[:, 0])

        # Dublin: claim accepted -> transfer / abscond / the 6-month limit expires.
        accepted = self.claim.release(t)
        p_tr = sc.dublin.transfer_share_pact if self.under_pact[t] else sc.dublin.transfer_share
        p_ab = sc.dublin.abscond_share
        split = rng.multinomial(accepted, [p_tr, p_ab, 1.0 - p_tr - p_ab])
        limit = int(self.dub6[t])
        self.transfer.schedule(t + min(self.transfer_steps, limit), split[..., 0])
        self.abscond.schedule(t + min(self.abscond_steps, limit), split[..., 1])
        self.expire.schedule(t + limit, split[..., 2])
        transferred = self.transfer.release(t)
        absconded = self.abscond.release(t)
        accepted_at = max(0, t - self.abscond_steps)
        self.untraced_wait.schedule(accepted_at + int(self.dub18[accepted_at]), absconded)
        expired = self.expire.release(t)
        waited = self.untraced_wait.release(t)
        reappeared = rng.binomial(waited, sc.dublin.reappear_share)
        self.ind.add(t, self._to_streams(expired + reappeared, t))
        untraced = waited - reappeared
        self.outflow += transferred.sum(1) + untraced.sum(1)
        f("dublin_transfers", m, transferred.sum(1))
        f("dublin_absconded", m, absconded.sum(1))
        f("dublin_expired", m, expired.sum(1))
        f("dublin_reappeared", m, reappeared.sum(1))
        f("dublin_untraced", m, untraced.sum(1))

        # IND first instance: capacity = staff x productivity, less the permit extensions.
        mean_cap = self.staff[t] * sc.ind.decisions_per_fte_year * self.index[t]
        capacity = rng.poisson(tl.per_step(mean_cap) * self.noise[:, y])
        self.ext_work += self.extensions.release(t)[:, 0] * sc.ind.extension_effort
        used = np.minimum(capacity, np.floor(self.ext_work).astype(np.int64))
        self.ext_work -= used
        capacity = capacity - used
        f("extension_workload", m, used)
        waiting = self.ind.eligible(t, self.ind_min)
        if self.pact[t]:
            first_pass = allocate_capacity(capacity, waiting * self.is_prio)
            rest = capacity - first_pass.sum(1)
            alloc = first_pass + allocate_capacity(rest, waiting * ~self.is_prio)
        else:
            alloc = allocate_capacity(capacity, waiting)
        served = self.ind.serve(t, alloc, min_age=self.ind_min)
        decided = served.total
        weeks_per_step = tl.step_days / 7.0
        ages = served.sum_ages(t, self.ind.offset)
        on_time = served.count_where(self.ind_deadline >= t)
        f("ind_decisions", m, decided.sum(1))
        f("ind_decisions_priority", m, decided[:, self.is_prio].sum(1))
        f("decided_within_term", m, on_time.sum(1))
        f("lead_time_weeks_sum", m, ages.sum(1) * weeks_per_step)
        f("lead_time_weeks_sum_priority", m, ages[:, self.is_prio].sum(1) * weeks_per_step)
        outcome = rng.multinomial(decided, self.outcome)
        refugee = outcome[..., 0].sum(1)
        subsidiary = outcome[..., 1].sum(1)
        refused = outcome[..., 2]
        withdrawn = outcome[..., 3].sum(1)
        self.outflow += withdrawn
        granted = refugee + subsidiary
        self.housing.add(t, granted[:, None])
        f("grants_refugee", m, refugee)
        f("grants_subsidiary", m, subsidiary)
        f("refusals", m, refused.sum(1))
        f("withdrawn", m, withdrawn)
        self._nareis_and_extensions(t, refugee, subsidiary)
        appeal = rng.binomial(refused, sc.appeal.appeal_rate)
        self.court.add(t, appeal)
        self.departure.schedule(t + self.dep_steps, (refused - appeal).sum(1)[:, None])
        f("appeals", m, appeal.sum(1))

        # Courts: annulled -> a new IND decision; upheld -> departure.
        court_cap = rng.poisson(tl.per_step(self.court_cap[t]), size=runs)
        court_alloc = allocate_capacity(court_cap, self.court.eligible(t, self.court_min))
        judged = self.court.serve(t, court_alloc, min_age=self.court_min).total
        annulled = rng.binomial(judged, sc.appeal.annulled_share)
        self.ind.add(t, annulled)
        self.departure.schedule(t + self.dep_steps, (judged - annulled).sum(1)[:, None])
        f("court_decisions", m, judged.sum(1))
        f("court_annulled", m, annulled.sum(1))

        # Nareis: IND decides (same productivity path), granted family members travel in.
        nar_mean = tl.per_step(self.nareis_cap[t] * self.index[t]) * self.noise[:, y]
        nar_served = self.nareis.serve(t, rng.poisson(nar_mean)[:, None]).total
        nar_granted = rng.binomial(nar_served, sc.nareis.grant_rate)
        self.travel.schedule(t + tl.steps(sc.nareis.travel_weeks), nar_granted)
        arrived = self.travel.release(t)
        self.outflow += (nar_served - nar_granted)[:, 0] + arrived[:, 0]
        f("nareis_decisions", m, nar_served[:, 0])
        f("nareis_granted", m, nar_granted[:, 0])
        f("nareis_arrived", m, arrived[:, 0])

        # Housing in municipalities: half-year realisation, after two weeks of matching.
        house_mean = self.housing_cap[t] * tl.step_days / (DAYS_PER_YEAR / 2)
        housed = self.housing.serve(
            t, rng.poisson(house_mean, size=runs)[:, None], min_age=self.match_steps
        )
        within = housed.count_where(t - self.house_entry <= self.norm_steps)
        self.outflow += housed.total[:, 0]
        f("housed", m, housed.total[:, 0])
        f("housed_within_norm", m, within[:, 0])

        # Departures: after the departure period people join the return caseload.
        self.returns += self.departure.release(t)[:, 0]
        rates = np.array(
            [sc.returns.independent_per_year, sc.returns.unsupervised_per_year,
             sc.returns.forced_demand_per_year]
        )  # fmt: skip
        probs = 1.0 - np.exp(-rates * tl.step_days / DAYS_PER_YEAR)
        probs = np.append(probs, max(0.0, 1.0 - probs.sum()))
        moves = rng.multinomial(self.returns, probs)
        stays_per_place = sc.detention.mean_stay_weeks * 7 / tl.step_days
        det_cap = rng.poisson(self.places[t] / stays_per_place * sc.detention.departure_share, runs)
        forced = np.minimum(moves[:, 2], det_cap)
        gone = moves[:, 0] + moves[:, 1] + forced
        self.returns -= gone
        self.outflow += gone
        f("departures_independent", m, moves[:, 0])
        f("departures_unsupervised", m, moves[:, 1])
        f("departures_forced", m, forced)

        f("dwangsom_eur", m, self._dwangsom(t))
        f("inflow_total", m, arrivals)
        f("outflow_total", m, self.outflow - out_before)
        if t == tl.month_end_step[m]:
            self._record_stocks(t, m)

    def _nareis_and_extensions(self, t: int, refugee: IntArray, subsidiary: IntArray) -> None:
        sc, tl, rng = self.sc, self.tl, self.rng
        act = sc.emergency_measures_act
        law = bool(self.act[t])
        ref_rate = sc.nareis.per_refugee_grant * (act.core_family_share if law else 1.0)
        sub_rate = sc.nareis.per_subsidiary_grant * (
            act.core_family_share * act.subsidiary_conditions_met if law else 1.0
        )
        lodge = tl.steps(sc.nareis.lodge_weeks)
        sub_lodge = max(lodge, tl.steps(act.subsidiary_wait_years * 52.18)) if law else lodge
        self.nareis_future.schedule(t + lodge, rng.poisson(ref_rate * refugee)[:, None])
        self.nareis_future.schedule(t + sub_lodge, rng.poisson(sub_rate * subsidiary)[:, None])
        years = act.permit_years if law else sc.permit_years
        due = t + tl.steps(years * 52.18)
        if due < tl.n_steps:
            self.extensions.schedule(due, (refugee + subsidiary)[:, None])

    def _dwangsom(self, t: int) -> FloatArray:
        """Dwangsom accrued this step on the cases still waiting past their term."""
        n = self.dw_amounts.size
        if n == 0 or not self.dw_amounts.any():
            return np.zeros(self.R)
        q = self.ind
        # overdue step k of cohort c: t - c_deadline - dw_start, wanted in [0, n)
        k = t - self.ind_deadline[: q.n_cohorts] - 1 - self.dw_start
        sel = np.nonzero((k >= 0) & (k < n))[0]
        if sel.size == 0:
            return np.zeros(self.R)
        waiting = q.counts[:, :, sel].sum(axis=1)
        return np.asarray(waiting @ self.dw_amounts[k[sel]], dtype=np.float64)

    def _record_stocks(self, t: int, m: int) -> None:
        sc, s = self.sc, self.stocks
        inr = sc.reception.in_reception
        ind = self.ind.total
        dublin = (
            self.claim.total.sum(1)
            + self.transfer.total.sum(1)
            + self.abscond.total.sum(1)
            + self.expire.total.sum(1)
        )
        s["ind_backlog"][:, m] = ind.sum(1)
        s["ind_backlog_priority"][:, m] = ind[:, self.is_prio].sum(1)
        over = self.ind.waiting_in_age_range(t, self.ind_deadline[: self.ind.n_cohorts] < t)
        s["ind_over_term"][:, m] = over.sum(1)
        s["nareis_backlog"][:, m] = self.nareis.total[:, 0]
        s["court_backlog"][:, m] = self.court.total.sum(1)
        s["dublin_in_reception"][:, m] = dublin
        s["permit_holders_waiting"][:, m] = self.housing.total[:, 0]
        s["permit_holders_over_norm"][:, m] = self.housing.waiting_older_than(t, self.norm_steps)[
            :, 0
        ]
        s["return_caseload"][:, m] = self.returns
        occupancy = (
            inr.asylum_waiting * ind.sum(1)
            + inr.court * self.court.total.sum(1)
            + inr.dublin * dublin
            + inr.permit_holders * self.housing.total[:, 0]
            + inr.departure_period * self.departure.total[:, 0]
        )
        s["occupancy"][:, m] = occupancy
        # Regular places fill first; emergency places (noodopvang) take what is left.
        in_regular = np.minimum(occupancy, self.regular[t])
        s["occupancy_regular"][:, m] = in_regular
        s["occupancy_emergency"][:, m] = np.minimum(occupancy - in_regular, self.emergency[t])
        s["occupancy_permit_holders"][:, m] = inr.permit_holders * self.housing.total[:, 0]
        s["regular_capacity"][:, m] = self.regular[t]
        s["emergency_capacity"][:, m] = self.emergency[t]
        s["capacity_total"][:, m] = self.regular[t] + self.emergency[t]
        s["emergency_needed"][:, m] = np.maximum(0.0, occupancy - self.regular[t])
        s["reception_shortage"][:, m] = np.maximum(
            0.0, occupancy - self.regular[t] - self.emergency[t]
        )
        s["stock_total"][:, m] = self.stock_total()

    def finish(self, seed: int) -> ChainRun:
        ledger = Ledger(self.stock_start, self.stock_total(), self.inflow, self.outflow)
        return ChainRun(
            scenario=self.sc,
            runs=self.R,
            seed=seed,
            months=self.tl.months(),
            flows=self.flows,
            stocks=self.stocks,
            ledger=ledger,
        )


def simulate_chunk(
    scenario: Scenario,
    runs: int,
    seed: np.random.SeedSequence,
    on_step: Callable[[int], None] | None = None,
) -> ChainRun:
    """Simulate ``runs`` replications in one process."""
    rng = np.random.default_rng(seed)
    chain = _Chain(scenario, runs, rng)
    for t in range(chain.tl.n_steps):
        chain.step(t)
        if on_step is not None:
            on_step(t)
    return chain.finish(int(seed.entropy) if isinstance(seed.entropy, int) else 0)
