"""Helpers shared by the project-wide tests: every app's permission-matrix cases in one list."""

from accounts.tests.permission_cases import CASES as ACCOUNT_CASES
from reports.tests.permission_cases import CASES as REPORT_CASES
from targets.tests.permission_cases import CASES as TARGET_CASES
from teams.tests.permission_cases import CASES as TEAM_CASES
from units.tests.permission_cases import CASES as UNIT_CASES

CASES = ACCOUNT_CASES + UNIT_CASES + TEAM_CASES + TARGET_CASES + REPORT_CASES
