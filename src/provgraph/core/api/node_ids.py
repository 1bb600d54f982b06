"""Global IDs resolved to nodes, refusing IDs that name no concrete node type."""

from __future__ import annotations

from strawberry import relay
from strawberry.types.base import StrawberryObjectDefinition

from provgraph.core.api.context import Info
from provgraph.core.domain.errors import BadUserInput


def node_type(info: Info, gid: relay.GlobalID, field: str = "id") -> type[relay.Node]:
    """The object type a global ID names; BAD_USER_INPUT for an interface (``Agent``), a type
    that is not a node (``Query``, ``PageInfo``, ``Viewer``) or no type of this schema."""
    refused = BadUserInput(
        f"{field} is not the global ID of a node (type {gid.type_name[:100]!r})", field=field
    )
    definition = info.schema.get_type_by_name(gid.type_name)
    if not isinstance(definition, StrawberryObjectDefinition) or definition.is_interface:
        raise refused
    try:
        return gid.resolve_type(info)
    except relay.GlobalIDValueError:
        raise refused from None


async def resolve_node(info: Info, gid: relay.GlobalID, field: str = "id") -> relay.Node | None:
    """The node behind ``gid`` for the caller's tenant, or None when there is none."""
    node_type(info, gid, field)
    found: relay.Node | None = await gid.resolve_node(info, required=False)
    return found
