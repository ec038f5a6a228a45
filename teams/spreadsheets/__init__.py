"""Member lists in Excel, in and out: `members` reads a list and plans then writes what it changes, `jobs` runs an
import from the web (preview, confirm, in Celery when large), `exports` writes rosters and the blank template,
`layout` is the file format both sides share, `samples` makes the messy sample list. The generic sheet reading is
in totech/spreadsheets.py, the village import in units/imports.py."""
