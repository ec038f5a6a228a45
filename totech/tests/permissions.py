"""The permission matrix: every URL, every persona, what they get.

Each app lists its URLs in `<app>/tests/permission_cases.py` as `CASES`; `test_permission_matrix` runs them
all and fails when a named URL has no case, so the matrix grows with every URL. A case with `post` data is also
POSTed by every persona (`test_permission_matrix_post`): the `post_allowed` (by default the `allowed`) get
`post_status` and their POST writes;
those in `post_refused` reach the form but see it refused on its fields (200, nothing written: a role or a unit
they may not give); the rest get `denied_status`. `post_check(world)` says whether the write happened.
A case with `data` instead is a POST-only action: the matrix POSTs that data in place of its GET.
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
    post: Callable[[dict], dict] | None = None
    post_status: int = 302
    post_check: Callable[[dict], bool] | None = None
    post_refused: frozenset = frozenset()
    post_allowed: frozenset | None = None

    @property
    def id(self):
        return self.label or self.url_name
