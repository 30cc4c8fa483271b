"""Web pages of events, one module per use case (`urls.py` names each view by module).
Thin: each view checks the rules, calls a service or a selector, renders."""
