"""What the demo community is made of, as plain data: dataclasses and lists, no database.

One module per feature (people, groups, events, wiki, discussions). People are named by
their key, the part of their address before the @ ("stephanie", "camille.rochat"), and
groups by slug; the steps in goingsolo/demo/steps/ turn this content into rows.
"""
