"""Web pages for groups, one module per use case. Thin: each view checks the rules, calls a
service, renders.

- `groups`: the home page, the list of groups, a group's page, its About and settings, and
  starting a group;
- `joining`: joining and leaving, requests to join and their answers, invitations;
- `members`: a group's members (the list, roles, removal) and a member's profile;
- `search`: the one search box over everything the visitor may read.
"""
