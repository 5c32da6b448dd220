"""`python -m matchmaker.engine ...`"""

import sys

from matchmaker.engine.cli import main

sys.exit(main())
