"""The use-case services of one running server, built once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph.config import Settings
from provgraph.engine.connection import Engine
from provgraph.services.keys import KeyService
from provgraph.services.runs import RunService
from provgraph.services.system import SystemService
from provgraph.store.executor import Executor
from provgraph.store.runs import RunRepository


@dataclass
class Services:
    settings: Settings
    engine: Engine
    executor: Executor
    system: SystemService
    keys: KeyService
    runs: RunService

    @classmethod
    def build(cls, settings: Settings, engine: Engine, executor: Executor) -> Services:
        return cls(
            settings=settings,
            engine=engine,
            executor=executor,
            system=SystemService(engine, executor),
            keys=KeyService(executor),
            runs=RunService(RunRepository(executor), settings),
        )
