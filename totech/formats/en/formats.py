# The English UI of a Vietnamese portal keeps Vietnamese dates and numbers (dd/mm/yyyy, 1.234,5).
from totech.formats.vi.formats import *  # noqa: F401,F403
