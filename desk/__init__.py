"""The review desk: the web app of editors, reviewers, approvers and admins (see desk/app.py)."""
