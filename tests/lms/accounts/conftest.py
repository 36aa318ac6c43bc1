"""The tests' OpenID provider process, for the sign-in tests of this folder."""

from tests.oidc_provider import openid_provider, provider  # noqa: F401
