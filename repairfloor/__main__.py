import sys

from repairfloor.launch import main

sys.exit(main())
