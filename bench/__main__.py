"""Run every benchmark: python -m bench"""

from bench import imports, load, offline, people, push, scan, suggestions

offline.main()
imports.main()
people.main()
push.main()
scan.main()
suggestions.main()
load.main()
