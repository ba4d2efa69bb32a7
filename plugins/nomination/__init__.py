"""Two-round nomination (两轮推荐提名): an open round (海推) of free write-ins, a public notice of
the top names per post, a conference round (公推) among them, and reserve candidates.

Kunming, July 2008 (DOMAIN.md mechanism 1). Modules: `rules` (pure), `store` (database),
`notice`, `cli`, `screens` (TUI), `demo`, `events`, `migrations`, `plugin` (the hooks).
"""
