"""The intermediate representation shared by every frontend and backend."""

from .model import (  # noqa: F401
    Address,
    AdminState,
    Link,
    LinkKind,
    Namespace,
    Opaque,
    Port,
    Program,
    Ref,
    option_items,
)
