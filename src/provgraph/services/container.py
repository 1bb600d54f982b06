"""The use-case services of one running server, built once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph.config import Settings
from provgraph.domain.model_registry import ModelRegistry
from provgraph.engine.connection import Engine
from provgraph.services.keys import KeyService
from provgraph.services.runs import RunService
from provgraph.services.system import SystemService
from provgraph.services.tracker import AgentService, TaskService
from provgraph.store.agents import ActivityRepository, AgentRepository
from provgraph.store.executor import Executor
from provgraph.store.runs import RunRepository
from provgraph.store.tasks import TaskRepository


@dataclass
class Services:
    settings: Settings
    engine: Engine
    executor: Executor
    system: SystemService
    keys: KeyService
    tasks: TaskService
    agents: AgentService
    runs: RunService

    @classmethod
    def build(cls, settings: Settings, engine: Engine, executor: Executor) -> Services:
        return cls(
            settings=settings,
            engine=engine,
            executor=executor,
            system=SystemService(engine, executor),
            keys=KeyService(executor),
            tasks=TaskService(
                TaskRepository(executor),
                max_depth=settings.max_traversal_depth,
                max_nodes=settings.max_result_nodes,
            ),
            agents=AgentService(
                AgentRepository(executor),
                ActivityRepository(executor),
                ModelRegistry.load(settings.extra_models),
            ),
            runs=RunService(RunRepository(executor), settings),
        )
