"""``python -m retraction_reasons.cli``."""

import sys

from . import main

sys.exit(main())
