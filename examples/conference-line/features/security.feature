Feature: Only FreeClimb can drive the line
  Every webhook carries a FreeClimb-Signature: an HMAC-SHA256 of "<t>.<raw body>" keyed with the
  account's signing secret. The line refuses requests without one, with a wrong one, or signed
  more than five minutes ago, and connects none of them.

  Scenario: webhooks that FreeClimb did not sign are refused
    Then the app rejects unsigned, forged and stale webhooks
