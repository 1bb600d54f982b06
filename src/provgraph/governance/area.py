"""Governance: versioned agents and prompts, evaluations and gates, promotions and rollbacks,
drift, usage roll-ups and the audit trail, all as provenance on the same graph."""

from __future__ import annotations

from provgraph.core.area import Area, AreaDeps
from provgraph.governance.api.resolvers import GovernanceMutation, GovernanceQuery
from provgraph.governance.repository import GovernanceRepository
from provgraph.governance.service import GovernanceService


def build(deps: AreaDeps) -> list[object]:
    return [GovernanceService(GovernanceRepository(deps.executor), deps.settings)]


AREA = Area(name="governance", build=build, query=GovernanceQuery, mutation=GovernanceMutation)
