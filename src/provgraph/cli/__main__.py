import sys

from provgraph.cli import main

sys.exit(main())
