"""Test support shared by the test suite and the benchmarks: the real app in chromium (browser) and catalogues small
enough to reason about by hand (tiny). Imported only by tests and benchmarks; pytest and Playwright load lazily."""
