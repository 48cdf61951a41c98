"""Building blocks of the synthetic organisation that `orchestration.generate` writes.

The public entry point is `orchestration.generate.generate`; the modules here each own one
concern: the calendar and time zones, the organisation, the week-by-week plan of every
engineer, the git history, the AI usage events, the landing-zone files and the ground truth.
"""
