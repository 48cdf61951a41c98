"""A sentence for every dbt test that Dagster shows as an asset check.

dbt gives a generic test no description unless its YAML writes one, so Dagster showed "No
description provided" on most checks. The sentence says what makes the check fail, from the test's
name and arguments as dbt recorded them in the manifest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _model_of(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    attached = node.get("attached_node")
    if attached and attached in manifest.get("nodes", {}):
        return manifest["nodes"][attached]["name"]
    if attached and attached in manifest.get("sources", {}):
        source = manifest["sources"][attached]
        return f"{source['source_name']}.{source['name']}"
    depends = node.get("depends_on", {}).get("nodes", [])
    return depends[0].split(".")[-1] if depends else "the model"


def _referenced(to: str) -> str:
    """`ref('dim_teams')` -> `dim_teams`."""
    return str(to).removeprefix("ref(").removesuffix(")").strip("'\"")


def describe_test(node: Mapping[str, Any], manifest: Mapping[str, Any]) -> str:
    """What makes this dbt test fail, in one sentence, and whether it blocks."""
    if node.get("description"):
        text = node["description"].strip()
    else:
        metadata = node.get("test_metadata") or {}
        name = metadata.get("name")
        kwargs = {key: value for key, value in (metadata.get("kwargs") or {}).items() if key != "model"}
        column = node.get("column_name") or kwargs.get("column_name")
        model = _model_of(node, manifest)
        target = f"{model}.{column}" if column else model
        sentences = {
            "not_null": f"Fails when {target} is null in any row.",
            "unique": f"Fails when a value of {target} appears in more than one row.",
            "accepted_values": (f"Fails when {target} holds a value outside {kwargs.get('values')}."),
            "relationships": (
                f"Fails when a value of {target} is missing from {kwargs.get('field')} of "
                f"{_referenced(kwargs.get('to', ''))}."
            ),
            "unique_combination_of_columns": (
                f"Fails when two rows of {model} share {kwargs.get('combination_of_columns')} (the key)."
            ),
            "accepted_range": (
                f"Fails when {target} leaves the range "
                f"[{kwargs.get('min_value', '-inf')}, {kwargs.get('max_value', 'inf')}]."
            ),
            "volume_anomaly": (
                f"Fails when {model}'s daily row count leaves its trailing same-weekday baseline."
            ),
            "robust_zscore_outlier": (
                f"Fails when {target} has values far from its usual level (robust z-score)."
            ),
        }
        if name in sentences:
            text = sentences[name]
        elif name:
            text = f"dbt test {name} on {target}; fails when it returns rows."
        else:
            path = node.get("original_file_path", node.get("name", "the test"))
            text = f"Singular dbt test {path}: fails when its query returns any row."
    severity = str((node.get("config") or {}).get("severity", "error")).lower()
    consequence = (
        " Blocking: what reads the model is not built and the warehouse is not published."
        if severity == "error"
        else " A warning: the run goes on."
    )
    return text + consequence
