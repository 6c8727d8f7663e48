from __future__ import annotations

import pytest
from babel.messages.catalog import Catalog

from tests.i18n.extraction import extract_messages


@pytest.fixture(scope="session")
def extracted_messages(tmp_path_factory) -> Catalog:
    """Every message of the source, as `makemessages` finds it today."""
    return extract_messages(tmp_path_factory.mktemp("extracted"))
