"""``python -m huiwen.extract FILE.html [--url URL]``."""

import sys

from .cli import main

sys.exit(main())
