Feature: Only FreeClimb can drive the line
  Every webhook carries a FreeClimb-Signature that the app checks with the SDK's verifier; a request
  without one, with a forged one, or signed more than five minutes ago is refused.

  Scenario: webhooks that FreeClimb did not sign are refused
    Then the app rejects unsigned, forged and stale webhooks
