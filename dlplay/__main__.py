import sys

from dlplay.cli import main

sys.exit(main())
