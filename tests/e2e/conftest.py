"""Fixtures of the end-to-end tier; they live in e2e_support (a module name no other conftest shadows)."""

from e2e_support import (  # noqa: F401  (fixtures, registered by being named here)
    api_testing_config,
    chromium,
    node_modules,
    php,
    wiki,
    workdir,
)
