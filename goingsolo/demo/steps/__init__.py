"""The steps that load the demo, one module per feature (people, groups, events, wiki,
discussions), each exposing its step functions: `add_…(demo)` takes the `Demo` being loaded
(goingsolo/demo/loader.py), adds its part of goingsolo/demo/content/ and reports progress
with `demo.progress(done, total)`.

Every write goes through the feature's services (goingsolo/*/services.py), with their
counters, checks and side effects. Where a service has no way to say when something
happened (a group founded years ago, a conference in 2008), the step sets the date right
after the service call and says why. The demo emails nobody: steps pass the keywords
services have for that (`announce=False`, `notify=False`, `via=Via.IMPORT`) and leave out
the few services that always email, writing those rows as the service would.
"""
