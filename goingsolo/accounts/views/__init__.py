"""Web pages of a member's own account, one module per use case:

- `profile`: the profile form and the language switcher;
- `notifications`: the in-app notifications;
- `devices`: the devices that receive Web Push, and the endpoints push.js calls.

Signing in, signing up and email addresses are allauth's pages (templates overridden in
goingsolo/templates/account/).
"""
