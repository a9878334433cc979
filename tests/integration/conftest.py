"""Fixtures the fault tests share: a programme with a registration (from the municipalities
app's tests) and a Redis broker of the test's own."""

from municipalities.tests.conftest import municipalities, participation_a, programme
from tests.integration.processes import own_broker

__all__ = ["municipalities", "own_broker", "participation_a", "programme"]
