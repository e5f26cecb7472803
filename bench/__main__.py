"""Run every benchmark: python -m bench"""

from bench import imports, load, offline, people, push, scan

offline.main()
imports.main()
people.main()
push.main()
scan.main()
load.main()
