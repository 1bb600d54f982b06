from __future__ import annotations

from pathlib import Path

from provgraph.cli.schema_cmd import export_sdl


def test_schema_graphql_matches_the_code(repo_root: Path) -> None:
    committed = (repo_root / "schema.graphql").read_text(encoding="utf-8")
    assert committed == export_sdl(), (
        "schema.graphql is out of date: run `make schema` (provgraph schema -o schema.graphql)"
    )


def test_the_schema_can_be_built_more_than_once() -> None:
    from provgraph.schema import build_schema

    assert build_schema().as_str() == build_schema().as_str()
