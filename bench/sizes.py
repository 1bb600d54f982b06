"""How much work each ``--size`` does."""

from __future__ import annotations

from dataclasses import dataclass

# The default traversal graph; a numeric --size scales everything from this point.
DEFAULT_GRAPH_NODES = 100_000


@dataclass(frozen=True)
class Size:
    name: str
    ingest_elements: int  # written both through provgraph's batch mutation and the raw driver
    naive_elements: int  # written one GraphQL mutation per node or edge
    graph_nodes: int  # nodes of the traversal graph
    samples: int  # queries per traversal operation and side
    roundtrip_sizes: tuple[int, int]  # nodes of the run the nested queries read
    memory_elements: int  # written through the server while its RSS is sampled
    heap: str  # embedded engine's JVM heap


SIZES: dict[str, Size] = {
    "small": Size("small", 3_000, 200, 10_000, 20, (50, 500), 5_000, "1g"),
    "default": Size("default", 20_000, 500, DEFAULT_GRAPH_NODES, 150, (50, 500), 100_000, "2g"),
    "large": Size("large", 100_000, 2_000, DEFAULT_GRAPH_NODES, 200, (50, 500), 1_000_000, "4g"),
}


def parse_size(text: str) -> Size:
    """``small``/``default``/``large``, or a number: the traversal graph's node count, with the
    other amounts scaled from the default in proportion."""
    if text in SIZES:
        return SIZES[text]
    try:
        nodes = int(text.replace("_", ""))
    except ValueError:
        raise ValueError(
            f"--size must be small, default, large or a number (got {text!r})"
        ) from None
    if nodes < 1_000:
        raise ValueError("--size as a number must be at least 1000 (graph nodes)")
    base = SIZES["default"]
    f = nodes / base.graph_nodes
    return Size(
        name=str(nodes),
        ingest_elements=max(2_000, int(base.ingest_elements * f)),
        naive_elements=max(200, min(5_000, int(base.naive_elements * f))),
        graph_nodes=nodes,
        samples=base.samples,
        roundtrip_sizes=base.roundtrip_sizes,
        memory_elements=max(5_000, int(base.memory_elements * f)),
        heap="4g" if nodes > 300_000 else base.heap,
    )
