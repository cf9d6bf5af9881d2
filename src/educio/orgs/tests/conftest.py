"""Fixtures of this app's tests; shared helpers live in educio.testing."""

from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - an autouse fixture
