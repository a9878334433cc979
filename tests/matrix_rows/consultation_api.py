"""Permission-matrix rows: The consultation API."""

from __future__ import annotations

# fmt: off
ROWS: list[tuple[str, str, tuple[int, ...]]] = [
    # route                                                              method   anon edA  viA  admA edB  jb   supX supY pt
]
# fmt: on

POSTS: dict[str, dict] = {}


def make(world: dict) -> dict:
    """Create this part's sample objects; return the URL arguments naming them."""
    return {}
