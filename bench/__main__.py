"""Run every benchmark: python -m bench"""

from bench import firstvisit, growth, imports, load, offline, people, push, scan, suggestions

offline.main()
firstvisit.main()
imports.main()
people.main()
growth.main()
push.main()
scan.main()
suggestions.main()
load.main()
