# The tenders app's programme and municipalities, for the dashboard tests.
from tenders.tests.conftest import programme, towns  # noqa: F401
