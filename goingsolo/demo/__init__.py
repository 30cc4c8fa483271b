"""The demo community: `goingsolo demo` fills an empty instance with the Going Solo group
and two others, about sixty members around the world, events, wiki notes and threads, in
French and English.

- `content/`: what the demo is made of, as plain data (dataclasses and lists, no database),
  one module per feature.
- `steps/`: one module per feature, whose step functions turn that content into rows
  through the feature's services.
- `loader.py`: `Demo` (what the steps share), `STEPS` (run in order, in one transaction),
  `load`, `is_loaded`, `non_demo_users`, `login_lines`.

To add a feature's demo content: write it in `content/<feature>.py`, people named by key
(the part of their address before the @) and groups by slug; write `steps/<feature>.py`
with an `add_…(demo)` that finds the people in `demo.users` and the groups in
`demo.groups`, calls the feature's services, adds only what is missing (so `demo --force`
completes a partial demo) and reports `demo.progress(done, total)`; then add
`("Label", add_…)` to `STEPS` in `loader.py`, after the steps it needs. Draw random choices
from `demo.random("<name>")`, so a step's choices do not change when another step changes.
"""
