"""The editors' desk: the pages under /newsroom/ (views, URLs and what only those pages need).

A surface above the domain apps, like the reader is: a desk page may show what the collector,
takedown, search and the reader hold side by side (the source dashboard, collecting one address,
the notice desk, the Traditional phrase list, the preview that is the reader's own page), which
`huiwen.backoffice` — the desk's domain: workflow, screening, revisions, roles, accounts, audit —
may not, since it sits beside those apps and imports none of them (docs/architecture.md, "Layers").
The templates and static files stay in the backoffice app (`backoffice/…` names, found by Django's
app loaders); the URL names keep their "backoffice" namespace.
"""
