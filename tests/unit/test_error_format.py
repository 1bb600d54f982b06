from __future__ import annotations

import logging

import pydantic
import pytest
from graphql import GraphQLError

from provgraph.core.api.errors import INTERNAL_MESSAGE, format_error
from provgraph.core.domain.errors import BadUserInput, NotFound


def _raised(exc: Exception) -> GraphQLError:
    return GraphQLError(str(exc), original_error=exc, path=["field"])


def test_domain_errors_keep_their_code_and_extensions() -> None:
    out = format_error(_raised(BadUserInput("bad id", field="id", index=3)))
    assert out["message"] == "bad id"
    assert out["extensions"] == {"code": "BAD_USER_INPUT", "field": "id", "index": 3}
    assert format_error(_raised(NotFound("no such node")))["extensions"]["code"] == "NOT_FOUND"


def test_unexpected_errors_are_masked_and_logged_with_a_correlation_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="provgraph.errors"):
        out = format_error(_raised(RuntimeError("password=hunter2 leaked")))
    assert out["message"] == INTERNAL_MESSAGE
    assert "hunter2" not in str(out)
    cid = out["extensions"]["correlationId"]
    assert out["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert any(cid in r.getMessage() for r in caplog.records)


def test_pydantic_validation_names_the_field() -> None:
    class M(pydantic.BaseModel):
        depth: int

    try:
        M.model_validate({"depth": "deep"})
    except pydantic.ValidationError as exc:
        out = format_error(_raised(exc))
    assert out["extensions"]["code"] == "BAD_USER_INPUT"
    assert out["extensions"]["fields"] == ["depth"]


def test_graphql_own_errors_are_classified() -> None:
    assert format_error(GraphQLError("Syntax Error: Unexpected"))["extensions"]["code"] == (
        "GRAPHQL_PARSE_FAILED"
    )
    assert format_error(GraphQLError("Cannot query field 'x'"))["extensions"]["code"] == (
        "GRAPHQL_VALIDATION_FAILED"
    )
    assert (
        format_error(GraphQLError("Variable '$d' got invalid value"))["extensions"]["code"]
        == "BAD_USER_INPUT"
    )


def test_argument_values_graphql_rejects_during_execution_are_bad_user_input() -> None:
    error = GraphQLError('Value cannot represent a GlobalID: "7".', path=["nodes"])
    assert format_error(error)["extensions"]["code"] == "BAD_USER_INPUT"
