"""Run every benchmark: python -m bench"""

from bench import imports, load, offline, push, scan

offline.main()
imports.main()
push.main()
scan.main()
load.main()
