"""GraphiQL is served by provgraph from the wheel and works with every outside request blocked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.browser.harness import assert_clean, drive, require_browser
from tests.served import Served, served

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    require_browser()
    data: Path = tmp_path_factory.mktemp("graphiql")
    with served(data) as s:
        yield s


def test_graphiql_loads_offline_and_runs_a_query(server: Served) -> None:
    report = drive("graphiql", server.url)
    assert_clean(report)
    assert "provgraph" in report["result"]["title"]
    assert '"engine": "arcadedb-embedded"' in report["result"]["responseText"]


def test_graphiql_page_carries_security_headers_and_no_outside_url(server: Served) -> None:
    page = httpx.get(f"{server.url}/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert "http" not in page.text.replace(server.url, "")
    assert httpx.get(f"{server.url}/static/graphiql.js").status_code == 200
