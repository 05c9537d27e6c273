"""What the class store's unit tests share besides fixtures (tests/unit/conftest.py)."""

import pytest

from dlplay.classroom.limits import ClassError


def reason(call) -> str:
    """The short reason of the ClassError `call()` raises."""
    with pytest.raises(ClassError) as refused:
        call()
    return refused.value.reason
