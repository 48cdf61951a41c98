"""The effect of AI adoption on each outcome: imputation difference in differences with an
engineer-clustered bootstrap. Why this estimator, and what every column means, is in the .yml
beside this file; the arithmetic is here.

Each outcome is a panel Y[engineer, week] over fully observed weeks. Untreated cells (comparison
engineers' weeks, adopters' weeks before adoption) fit Y = level[engineer] * shock[week] by
Poisson pseudo-likelihood, whose solution alternates the two closed-form updates below (iterative
proportional fitting). Each adopter's post-adoption cell gets the counterfactual
level[engineer] * shock[week], and the effect over a set of cells is
sum(Y) / sum(counterfactual) - 1. A bootstrap replicate reweights engineers (multinomial counts,
drawn within adopters and within comparison engineers) and repeats the fit and the sums.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

OUTCOMES = {
    "prs_merged_per_week": "prs_merged",
    "median_pr_cycle_hours": "median_pr_cycle_hours",
    "reviews_given_per_week": "reviews_given",
    "median_incident_resolve_hours": "median_incident_resolve_hours",
}
ESTIMATOR = "staggered_did"
ORGANISATION = "organisation"
PRE_WEEKS = 4
POST_WEEKS = 8
MAX_ITERATIONS = 500
TOLERANCE = 1e-9


def fit(values: np.ndarray, untreated: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Levels [replicate, engineer] and week shocks [replicate, week] of Y = level * shock.

    `values` is [engineer, week] with zeros outside `untreated`; `weights` is [replicate, engineer].
    An engineer's level does not depend on their own weight (it is their own data's ratio), so
    only the shocks differ between replicates. A week no untreated cell covers gets no shock (nan).
    The replicates start from the first row's solution, which they are close to, so they converge
    in a few passes.
    """
    mask = untreated.astype(float)
    first = _fit_shocks(values, mask, weights[:1], np.ones((1, values.shape[1])))
    shocks = _fit_shocks(values, mask, weights, np.repeat(first, len(weights), axis=0))
    exposure = shocks @ mask.T
    levels = np.divide(values.sum(axis=1), exposure, out=np.zeros_like(exposure), where=exposure > 0)
    covered = ((weights * levels) @ mask) > 0
    return levels, np.where(covered, shocks, np.nan)


def _fit_shocks(values: np.ndarray, mask: np.ndarray, weights: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """Alternate the closed-form level and shock updates from `shocks` until the shocks settle.

    Shocks are scaled to average 1 over the weeks they cover; levels absorb the scale."""
    engineer_totals = values.sum(axis=1)
    week_totals = weights @ values
    covered = (weights @ mask) > 0
    for _ in range(MAX_ITERATIONS):
        exposure = shocks @ mask.T
        levels = np.divide(engineer_totals, exposure, out=np.zeros_like(exposure), where=exposure > 0)
        level_mass = (weights * levels) @ mask
        updated = np.divide(week_totals, level_mass, out=np.ones_like(level_mass), where=level_mass > 0)
        updated /= np.where(covered, updated, 0).sum(axis=1, keepdims=True) / np.maximum(
            covered.sum(axis=1, keepdims=True), 1
        )
        change = np.max(np.abs(updated - shocks))
        shocks = updated
        if change < TOLERANCE:
            break
    return shocks


def bootstrap_weights(groups: np.ndarray, replicates: int, seed: int) -> np.ndarray:
    """[1 + replicates, engineer]: the estimate's unit weights, then multinomial resampling counts
    of engineers drawn with replacement within each group, so every replicate keeps the group sizes."""
    rng = np.random.default_rng(seed)
    weights = np.ones((1 + replicates, len(groups)))
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        weights[1:, members] = rng.multinomial(
            len(members), np.full(len(members), 1 / len(members)), replicates
        )
    return weights


def _group_sums(values: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """[replicate, group] sums of `values` [replicate, cell] over the cells of each group."""
    sums = np.zeros((len(values), n_groups))
    if values.shape[1] == 0:
        return sums
    order = np.argsort(group, kind="stable")
    present, starts = np.unique(group[order], return_index=True)
    sums[:, present] = np.add.reduceat(values[:, order], starts, axis=1)
    return sums


def summarise(
    weights: np.ndarray,
    observed: np.ndarray,
    expected: np.ndarray,
    engineer: np.ndarray,
    cell_group: np.ndarray,
    n_groups: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Effect per group of treated cells: point [group], replicates [replicate, group], and the
    number of cells behind the point [group]. `expected` is [replicate, cell]; nan cells drop out."""
    usable = np.isfinite(expected)
    cell_weights = weights[:, engineer] * usable
    observed_sum = _group_sums(cell_weights * observed, cell_group, n_groups)
    expected_sum = _group_sums(cell_weights * np.nan_to_num(expected), cell_group, n_groups)
    effect = (
        np.divide(observed_sum, expected_sum, out=np.full_like(observed_sum, np.nan), where=expected_sum > 0)
        - 1
    )
    return effect[0], effect[1:], np.bincount(cell_group, usable[0], minlength=n_groups)


def estimate(
    panel: pd.DataFrame, replicates: int, seed: int, min_adopters: int, min_comparison: int
) -> pd.DataFrame:
    if panel.empty:
        return pd.DataFrame(
            [
                {
                    "scope": ORGANISATION,
                    "outcome": outcome,
                    "estimator": ESTIMATOR,
                    "relative_week": None,
                    "effect_relative": None,
                    "ci_low": None,
                    "ci_high": None,
                    "adopters": 0,
                    "comparison_engineers": 0,
                    "adopter_weeks": 0,
                    "comparison_weeks": 0,
                    "is_reportable": False,
                }
                for outcome in OUTCOMES
            ]
        ).astype({"relative_week": "Int64", "effect_relative": float, "ci_low": float, "ci_high": float})
    engineers, engineer_index = np.unique(panel["employee_id"].to_numpy(), return_inverse=True)
    weeks, week_index = np.unique(panel["week_start"].to_numpy(), return_inverse=True)
    first = panel.drop_duplicates("employee_id").set_index("employee_id").loc[engineers]
    is_adopter = (first["effect_group"] == "adopter").to_numpy()
    scopes = [ORGANISATION, *sorted(first["team_id"].dropna().unique())]
    team_scope = {team: position for position, team in enumerate(scopes)}
    engineer_team = np.array([team_scope.get(team, -1) for team in first["team_id"]])
    weights = bootstrap_weights(is_adopter, replicates, seed)
    post = panel["is_post_adoption"].to_numpy(dtype=bool)
    relative = panel["relative_week"].to_numpy(dtype=float)
    held_out = ~post & (relative >= -PRE_WEEKS)
    event_weeks = list(range(-PRE_WEEKS, POST_WEEKS + 1))

    rows = []
    for outcome, column in OUTCOMES.items():
        value = panel[column].to_numpy(dtype=float)
        has_value = np.isfinite(value)
        cells = {}
        for name, untreated_cells in (
            ("main", has_value & ~post),
            ("held_out", has_value & ~post & ~held_out),
        ):
            untreated = np.zeros((len(engineers), len(weeks)), dtype=bool)
            untreated[engineer_index[untreated_cells], week_index[untreated_cells]] = True
            values = np.zeros((len(engineers), len(weeks)))
            values[engineer_index[untreated_cells], week_index[untreated_cells]] = value[untreated_cells]
            levels, shocks = fit(values, untreated, weights)
            cells[name] = (untreated, levels, shocks)

        untreated, levels, shocks = cells["main"]
        treated = np.flatnonzero(has_value & post)
        pre = np.flatnonzero(has_value & held_out)
        selections = [("overall", treated, None, cells["main"])]
        selections += [
            ("event", treated[relative[treated] == k], k, cells["main"]) for k in event_weeks if k >= 0
        ]
        selections += [("event", pre[relative[pre] == k], k, cells["held_out"]) for k in event_weeks if k < 0]
        for _, chosen, relative_week, (_, fit_levels, fit_shocks) in selections:
            engineer = engineer_index[chosen]
            week = week_index[chosen]
            expected = fit_levels[:, engineer] * fit_shocks[:, week]
            expected[fit_levels[:, engineer] <= 0] = np.nan
            usable = np.isfinite(expected[0])
            observed = value[chosen]
            # The organisation is group 0 of the first pass; the teams are groups 1.. of the second.
            org_point, org_draws, org_cells = summarise(
                weights, observed, expected, engineer, np.zeros(len(chosen), dtype=int), 1
            )
            team_point, team_draws, team_cells = summarise(
                weights, observed, expected, engineer, np.maximum(engineer_team[engineer], 0), len(scopes)
            )
            for scope_position, scope in enumerate(scopes):
                if scope_position == 0:
                    in_scope, point, draws, cell_count = usable, org_point[0], org_draws[:, 0], org_cells[0]
                else:
                    in_scope = usable & (engineer_team[engineer] == scope_position)
                    point = team_point[scope_position]
                    draws = team_draws[:, scope_position]
                    cell_count = team_cells[scope_position]
                scope_adopters = np.unique(engineer[in_scope])
                comparison = untreated[:, np.unique(week[in_scope])]
                comparison[scope_adopters] = False
                comparison_engineers = int(comparison.any(axis=1).sum())
                replicate_effects = draws[np.isfinite(draws)]
                reportable = bool(
                    len(scope_adopters) >= min_adopters
                    and comparison_engineers >= min_comparison
                    and np.isfinite(point)
                    and len(replicate_effects) >= 0.9 * replicates
                )
                rows.append(
                    {
                        "scope": scope,
                        "outcome": outcome,
                        "estimator": ESTIMATOR,
                        "relative_week": relative_week,
                        "effect_relative": float(point) if reportable else None,
                        "ci_low": float(np.quantile(replicate_effects, 0.025)) if reportable else None,
                        "ci_high": float(np.quantile(replicate_effects, 0.975)) if reportable else None,
                        "adopters": len(scope_adopters),
                        "comparison_engineers": comparison_engineers,
                        "adopter_weeks": int(cell_count),
                        "comparison_weeks": int(comparison.sum()),
                        "is_reportable": reportable,
                    }
                )
    result = pd.DataFrame(rows)
    result["relative_week"] = result["relative_week"].astype("Int64")
    return result


def model(dbt: Any, session: Any) -> pd.DataFrame:
    dbt.config(materialized="table")
    panel = dbt.ref("int_engineer_weeks_adoption_phased").df()
    return estimate(
        panel,
        replicates=int(dbt.config.get("bootstrap_replicates")),
        seed=int(dbt.config.get("bootstrap_seed")),
        min_adopters=int(dbt.config.get("min_adopters")),
        min_comparison=int(dbt.config.get("min_comparison_engineers")),
    )
