"""The use-case services of one running server, built once in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass

from provgraph.config import Settings
from provgraph.core.store.executor import Executor
from provgraph.engine.connection import Engine
from provgraph.keys.service import KeyService
from provgraph.runs.repository import RunRepository
from provgraph.runs.service import RunService
from provgraph.system.service import SystemService
from provgraph.tracker.agent_repository import ActivityRepository, AgentRepository
from provgraph.tracker.model_registry import ModelRegistry
from provgraph.tracker.repository import TaskRepository
from provgraph.tracker.service import AgentService, TaskService


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
