"""Accounts: sign up, log in, log out, choose a new password."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from matchmaker.auth import passwords, views  # noqa: E402,F401
