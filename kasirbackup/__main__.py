import sys

from kasirbackup.cli import main

sys.exit(main())
