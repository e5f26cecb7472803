"""Run every benchmark: python -m bench"""

from bench import offline

offline.main()
