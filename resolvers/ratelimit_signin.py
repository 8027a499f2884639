"""Sign-in limits: guessing stays bounded, and nobody can lock an owner out.

A limit counted per account alone hands the account to whoever wants it
locked: eleven wrong passwords from anywhere, and the owner was refused with
the right one. So attempts are counted per account and address together, and
failures from other addresses do not stop the owner signing in from their
own. `login` and `changePassword` (its current password) count alike.

The numbers (policies in `resolvers.ratelimit.POLICIES`):

- 10 attempts per 15 minutes per account and address together, every
  attempt counted before the password is checked (a success too, so parallel
  guesses cannot slip past). Ample for a person who mistypes; 40 guesses an
  hour for one address trying one account.
- 50 attempts per 15 minutes per address, whatever the accounts: bounds
  spraying (one password tried on many accounts) from one address, yet lets
  several people sign in from behind one address (a campus, an office).
- 100 failures per hour per account, from every address together: spent
  only by guessing from at least three addresses at the full rate above,
  and in practice by many more. While it is spent:
  - an address with any failure on the account in the last hour is refused
    (the guessers that spent it, each shut out for the rest of their hour);
  - an address with none may still make 3 attempts per hour on the account.
    This is the owner's way in: from their own address, with the right
    password, they sign in even while the account is under attack. It costs
    an attacker a fresh address per guess or three, instead of the 40 an
    hour an address gets otherwise, so the guesses an account takes per hour
    stay near 100 plus the number of fresh addresses the attacker has.

The attempt counts refuse before any password is checked; failures are
counted after. The refusal is `RATE_LIMITED` with `retryAfter` in seconds.
"""

from __future__ import annotations

from resolvers import signals
from resolvers.errors import RateLimited
from resolvers.ratelimit import POLICIES, RateLimiter, retry_after


def _account_and_address(account: str, address: str) -> str:
    # A separator no e-mail address or IP address contains.
    return f"{account}\n{address}"


async def admit(limiter: RateLimiter, *, account: str, address: str) -> None:
    """Before a password is checked: count the attempt, or raise RateLimited."""
    pair = _account_and_address(account, address)
    await limiter.hit(POLICIES.login_per_address, address)
    await limiter.hit(POLICIES.login_per_account_address, pair)
    failures = await limiter.usage(POLICIES.login_failures_per_account, account)
    if failures.hits < POLICIES.login_failures_per_account.limit:
        return
    failed_here = await limiter.usage(POLICIES.login_failures_per_account_address, pair)
    if failed_here.hits > 0:
        signals.rate_limited.send(POLICIES.login_failures_per_account_address.name)
        raise RateLimited(retry_after(min(failed_here.seconds_left, failures.seconds_left)))
    await limiter.hit(POLICIES.login_while_account_spent, pair)


async def failed(limiter: RateLimiter, *, account: str, address: str) -> None:
    """After a wrong password: count the failure against the account and this address."""
    await limiter.add(POLICIES.login_failures_per_account, account)
    await limiter.add(
        POLICIES.login_failures_per_account_address, _account_and_address(account, address)
    )
