"""The permission matrix: every URL, every persona, what they get.

Each app lists its URLs in `<app>/tests/permission_cases.py` as `CASES`; `test_permission_matrix` runs them
all and fails when a named URL has no case, so the matrix grows with every URL.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL = frozenset({"admin", "province", "district", "commune", "leader", "outsider"})


@dataclass(frozen=True)
class Case:
    url_name: str
    allowed: frozenset
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    denied_status: int = 404  # out of scope answers 404, never 403
    allowed_status: int = 200
    label: str = ""
    data: Callable[[dict], dict] | None = None  # a POST with this form data (world → data); None: a GET

    @property
    def id(self):
        return self.label or self.url_name
