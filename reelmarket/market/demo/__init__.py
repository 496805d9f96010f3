"""The demo market: FILMART 2025 at full scale, generated deterministically from a seed.

``plan.plan_market`` and ``titles.iter_titles`` produce plain data (no Django);
``build.demo_build`` writes it, ``build.demo_reset`` removes it. See docs/demo.md.
"""
