import sys

from repairfloor.cli import main

sys.exit(main())
